<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN" sourcelanguage="en">
<context>
    <name>App</name>
    <message>
        <location filename="../../ui/app.py" line="37"/>
        <source>The kiosk cannot start</source>
        <translation>Ki-ốt không khởi động được</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="38"/>
        <source>The kiosk could not start. Staff: please give this message to IT.</source>
        <translation>Ki-ốt không khởi động được. Cán bộ vui lòng chuyển thông báo này cho bộ phận kỹ thuật.</translation>
    </message>
</context>
<context>
    <name>ChooseScreen</name>
    <message>
        <location filename="../../ui/screens/choose.py" line="44"/>
        <source>Fee: {fee}   ·   Ready in {time}</source>
        <translation>Lệ phí: {fee}   ·   Có kết quả sau {time}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/choose.py" line="99"/>
        <source>Hello, {name}</source>
        <translation>Xin chào, {name}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/choose.py" line="101"/>
        <source>What do you need?</source>
        <translation>Ông/bà cần làm thủ tục gì?</translation>
    </message>
    <message>
        <location filename="../../ui/screens/choose.py" line="110"/>
        <source>Choose the service you want to apply for.</source>
        <translation>Vui lòng chọn thủ tục ông/bà muốn nộp hồ sơ.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/choose.py" line="111"/>
        <source>Search, e.g. “khai sinh” or “giay phep”</source>
        <translation>Tìm kiếm, ví dụ “khai sinh” hoặc “giay phep”</translation>
    </message>
    <message>
        <location filename="../../ui/screens/choose.py" line="112"/>
        <source>Nothing matches your search. Try fewer words, or ask staff.</source>
        <translation>Không tìm thấy thủ tục phù hợp. Vui lòng thử ít từ hơn hoặc hỏi cán bộ.</translation>
    </message>
</context>
<context>
    <name>ConnectionIndicator</name>
    <message>
        <location filename="../../ui/widgets/chrome.py" line="35"/>
        <source>Checking the connection…</source>
        <translation>Đang kiểm tra kết nối…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chrome.py" line="38"/>
        <source>Connected · {ms} ms</source>
        <translation>Đã kết nối · {ms} ms</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chrome.py" line="44"/>
        <source>Offline</source>
        <translation>Mất kết nối</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chrome.py" line="56"/>
        <source>1 application waiting to be sent</source>
        <translation>1 hồ sơ đang chờ gửi</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chrome.py" line="58"/>
        <source>{n} applications waiting to be sent</source>
        <translation>{n} hồ sơ đang chờ gửi</translation>
    </message>
</context>
<context>
    <name>DemoPanel</name>
    <message>
        <location filename="../../ui/widgets/demo_panel.py" line="87"/>
        <source>DEMO
DEVICES</source>
        <translation>THIẾT BỊ
GIẢ LẬP</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/demo_panel.py" line="88"/>
        <source>Show</source>
        <translation>Hiện</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/demo_panel.py" line="89"/>
        <source>Hide</source>
        <translation>Ẩn</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/demo_panel.py" line="90"/>
        <source>Put card on reader</source>
        <translation>Đặt thẻ lên đầu đọc</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/demo_panel.py" line="91"/>
        <source>Take card off</source>
        <translation>Lấy thẻ ra</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/demo_panel.py" line="92"/>
        <source>Show QR to camera</source>
        <translation>Đưa mã QR trước camera</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/demo_panel.py" line="93"/>
        <source>Sample cards from assets/profiles</source>
        <translation>Thẻ mẫu trong assets/profiles</translation>
    </message>
</context>
<context>
    <name>FieldEditor</name>
    <message>
        <location filename="../../ui/widgets/fields.py" line="66"/>
        <source>day/month/year, e.g. 14/03/1995</source>
        <translation>ngày/tháng/năm, ví dụ 14/03/1995</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="67"/>
        <source>e.g. 0912345678</source>
        <translation>ví dụ 0912345678</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="68"/>
        <source>e.g. name@example.com</source>
        <translation>ví dụ ten@example.com</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="116"/>
        <source>Yes</source>
        <translation>Có</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="117"/>
        <source>No</source>
        <translation>Không</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="171"/>
        <source>One less</source>
        <translation>Bớt một</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="172"/>
        <source>One more</source>
        <translation>Thêm một</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="223"/>
        <source>Province or city…</source>
        <translation>Tỉnh hoặc thành phố…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="224"/>
        <source>Commune or ward…</source>
        <translation>Xã hoặc phường…</translation>
    </message>
</context>
<context>
    <name>FormScreen</name>
    <message>
        <location filename="../../ui/screens/form.py" line="52"/>
        <source>(optional)</source>
        <translation>(không bắt buộc)</translation>
    </message>
    <message>
        <location filename="../../ui/screens/form.py" line="142"/>
        <source>Please look at the answer marked below.</source>
        <translation>Vui lòng xem lại mục được đánh dấu bên dưới.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/form.py" line="143"/>
        <source>Please look at the {n} answers marked below.</source>
        <translation>Vui lòng xem lại {n} mục được đánh dấu bên dưới.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/form.py" line="162"/>
        <source>Check the details taken from your card and fill in the rest. Everything can be changed.</source>
        <translation>Vui lòng kiểm tra thông tin lấy từ thẻ và điền các mục còn lại. Mọi mục đều sửa được.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/form.py" line="164"/>
        <source>Check my answers  ›</source>
        <translation>Xem lại hồ sơ  ›</translation>
    </message>
</context>
<context>
    <name>Header</name>
    <message>
        <location filename="../../ui/widgets/chrome.py" line="129"/>
        <source>Step {n} of {total}</source>
        <translation>Bước {n}/{total}</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chrome.py" line="134"/>
        <source>Public Service Kiosk</source>
        <translation>Ki-ốt Dịch vụ công</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chrome.py" line="135"/>
        <source>One-stop service centre · {unit}</source>
        <translation>Trung tâm Phục vụ hành chính công · {unit}</translation>
    </message>
</context>
<context>
    <name>IdentifyScreen</name>
    <message>
        <location filename="../../ui/screens/identify.py" line="118"/>
        <source>Who is applying?</source>
        <translation>Ai là người nộp hồ sơ?</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="119"/>
        <source>We need your citizen ID card to fill in your details for you.</source>
        <translation>Chúng tôi cần thẻ căn cước của ông/bà để tự điền thông tin giúp ông/bà.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="121"/>
        <source>Put your ID card on the reader</source>
        <translation>Đặt thẻ căn cước lên đầu đọc</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="122"/>
        <source>Or type your 12-digit ID number</source>
        <translation>Hoặc nhập số định danh 12 chữ số</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="123"/>
        <source>12 digits</source>
        <translation>12 chữ số</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="124"/>
        <source>or</source>
        <translation>hoặc</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="126"/>
        <source>No reader? Hold the QR code on your card in front of the camera.</source>
        <translation>Không dùng được đầu đọc? Hãy đưa mã QR trên thẻ căn cước trước camera.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="128"/>
        <source>Continue  ›</source>
        <translation>Tiếp tục  ›</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="133"/>
        <source>Please place your ID card on the reader, chip side up, and leave it there until the next screen appears.</source>
        <translation>Vui lòng đặt thẻ căn cước lên đầu đọc, mặt có chip hướng lên, và để yên cho đến khi màn hình chuyển sang bước tiếp theo.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="164"/>
        <source>Reading your card… please do not move it.</source>
        <translation>Đang đọc thẻ… vui lòng không di chuyển thẻ.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="180"/>
        <source>Stop this application?</source>
        <extracomment>the numbered steps shown as &quot;Step n of 6&quot; (the welcome screen has none) the steps during which a citizen who walks away is noticed (the others end by themselves)</extracomment>
        <translation>Dừng nộp hồ sơ này?</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="181"/>
        <source>Everything you entered will be deleted from this kiosk. Nothing will be sent.</source>
        <translation>Mọi thông tin ông/bà đã nhập sẽ bị xóa khỏi ki-ốt. Hồ sơ sẽ không được gửi đi.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="183"/>
        <source>Yes, stop and delete</source>
        <translation>Có, dừng và xóa</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="184"/>
        <source>No, continue</source>
        <translation>Không, làm tiếp</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="203"/>
        <source>Do you need more time?</source>
        <translation>Ông/bà có cần thêm thời gian không?</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="204"/>
        <source>To protect your information, this application will be deleted in {n} seconds.</source>
        <translation>Để bảo vệ thông tin của ông/bà, hồ sơ đang làm sẽ được xóa sau {n} giây.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="206"/>
        <source>Yes, I need more time</source>
        <translation>Có, tôi cần thêm thời gian</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="206"/>
        <source>Stop and delete</source>
        <translation>Dừng và xóa</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="253"/>
        <source>The kiosk could not save your application, so it was NOT sent. Please try again, or ask a staff member for help.</source>
        <translation>Ki-ốt chưa lưu được hồ sơ, nên hồ sơ CHƯA được gửi. Vui lòng thử lại hoặc nhờ cán bộ hỗ trợ.</translation>
    </message>
</context>
<context>
    <name>NumericKeypad</name>
    <message>
        <location filename="../../ui/widgets/keypad.py" line="44"/>
        <source>Clear</source>
        <translation>Xóa hết</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/keypad.py" line="47"/>
        <source>Delete last digit</source>
        <translation>Xóa số cuối</translation>
    </message>
</context>
<context>
    <name>ReceiptScreen</name>
    <message>
        <location filename="../../ui/screens/receipt.py" line="130"/>
        <source>Your application has been received</source>
        <translation>Hồ sơ của ông/bà đã được tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="131"/>
        <source>Your application code</source>
        <translation>Mã hồ sơ của ông/bà</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="133"/>
        <source>Please write down or photograph this code: you need it to follow your application. The result is expected in {time}.</source>
        <translation>Vui lòng ghi lại hoặc chụp ảnh mã này để theo dõi hồ sơ. Dự kiến có kết quả sau {time}.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="142"/>
        <source>Your application is saved</source>
        <translation>Hồ sơ của ông/bà đã được lưu</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="143"/>
        <location filename="../../ui/screens/receipt.py" line="156"/>
        <source>Your reference</source>
        <translation>Số tham chiếu của ông/bà</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="145"/>
        <source>The connection to the government portal is down right now. Your application is saved and will be sent automatically when the connection returns; your reference is {ref}. You do not need to do anything else.</source>
        <translation>Hiện chưa kết nối được với Cổng dịch vụ công. Hồ sơ của ông/bà đã được lưu và sẽ tự động gửi đi khi có kết nối trở lại; số tham chiếu của ông/bà là {ref}. Ông/bà không cần làm gì thêm.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="155"/>
        <source>Your application needs a staff member</source>
        <translation>Hồ sơ cần cán bộ hỗ trợ</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="158"/>
        <source>The portal could not accept your application as it is. It is saved on this kiosk: please see the staff at the counter and show them your reference {ref}.</source>
        <translation>Cổng dịch vụ công chưa tiếp nhận được hồ sơ này. Hồ sơ đã được lưu trên ki-ốt: vui lòng gặp cán bộ tại quầy và đưa số tham chiếu {ref}.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="175"/>
        <source>This screen returns to the start in {n} seconds.</source>
        <translation>Màn hình sẽ trở về trang đầu sau {n} giây.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="187"/>
        <source>Thank you</source>
        <translation>Xin cảm ơn</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="188"/>
        <source>Please take note of the code below.</source>
        <translation>Vui lòng ghi lại mã dưới đây.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="189"/>
        <source>Done</source>
        <translation>Xong</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <location filename="../../ui/screens/review.py" line="77"/>
        <source>Service</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <location filename="../../ui/screens/review.py" line="78"/>
        <source>Handled by</source>
        <translation>Cơ quan giải quyết</translation>
    </message>
    <message>
        <location filename="../../ui/screens/review.py" line="79"/>
        <source>Fee</source>
        <translation>Lệ phí</translation>
    </message>
    <message>
        <location filename="../../ui/screens/review.py" line="80"/>
        <source>Ready in</source>
        <translation>Thời hạn giải quyết</translation>
    </message>
    <message>
        <location filename="../../ui/screens/review.py" line="83"/>
        <source>Please bring to the counter</source>
        <translation>Vui lòng mang đến quầy</translation>
    </message>
    <message>
        <location filename="../../ui/screens/review.py" line="102"/>
        <source>Please check your application</source>
        <translation>Vui lòng kiểm tra lại hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/screens/review.py" line="103"/>
        <source>If something is wrong, tap “Change answers”. Nothing is sent until you tap “Send application”.</source>
        <translation>Nếu có gì chưa đúng, hãy bấm “Sửa lại”. Hồ sơ chỉ được gửi khi ông/bà bấm “Gửi hồ sơ”.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/review.py" line="105"/>
        <source>‹  Change answers</source>
        <translation>‹  Sửa lại</translation>
    </message>
    <message>
        <location filename="../../ui/screens/review.py" line="106"/>
        <source>Send application  ›</source>
        <translation>Gửi hồ sơ  ›</translation>
    </message>
</context>
<context>
    <name>Screen</name>
    <message>
        <location filename="../../ui/screens/base.py" line="62"/>
        <source>‹  Back</source>
        <extracomment>shown on the footer&apos;s primary button; None hides it</extracomment>
        <translation>‹  Quay lại</translation>
    </message>
    <message>
        <location filename="../../ui/screens/base.py" line="63"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>SubmittingScreen</name>
    <message>
        <location filename="../../ui/screens/receipt.py" line="67"/>
        <source>Sending your application…</source>
        <translation>Đang gửi hồ sơ…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="68"/>
        <source>This usually takes a few seconds.</source>
        <translation>Việc này thường mất vài giây.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="69"/>
        <source>Your application is already saved on this kiosk, so nothing will be lost.</source>
        <translation>Hồ sơ đã được lưu trên ki-ốt, nên sẽ không bị mất.</translation>
    </message>
</context>
<context>
    <name>Texts</name>
    <message>
        <location filename="../../ui/texts.py" line="36"/>
        <source>Free of charge</source>
        <translation>Miễn phí</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="42"/>
        <source>1 working day</source>
        <translation>1 ngày làm việc</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="43"/>
        <source>{n} working days</source>
        <translation>{n} ngày làm việc</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="48"/>
        <source>Civil status</source>
        <translation>Hộ tịch</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="49"/>
        <source>Justice</source>
        <translation>Tư pháp</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="50"/>
        <source>Transport</source>
        <translation>Giao thông</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="51"/>
        <source>Residence</source>
        <translation>Cư trú</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="52"/>
        <source>Business</source>
        <translation>Kinh doanh</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="53"/>
        <source>Land and housing</source>
        <translation>Đất đai, nhà ở</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="54"/>
        <source>Social welfare</source>
        <translation>Chính sách xã hội</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="61"/>
        <source>The ID number must have exactly 12 digits.</source>
        <translation>Số định danh phải có đủ 12 chữ số.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="63"/>
        <source>The first three digits are not a province code. Please check the number.</source>
        <translation>Ba số đầu không phải mã tỉnh. Vui lòng kiểm tra lại số.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="65"/>
        <source>The ID number does not match the date of birth. Please check it.</source>
        <translation>Số định danh không khớp với ngày sinh. Vui lòng kiểm tra lại.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="67"/>
        <source>The ID number does not match the year of birth. Please check it.</source>
        <translation>Số định danh không khớp với năm sinh. Vui lòng kiểm tra lại.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="69"/>
        <source>The ID number does not match the sex. Please check it.</source>
        <translation>Số định danh không khớp với giới tính. Vui lòng kiểm tra lại.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="77"/>
        <source>Please enter a value between {min} and {max}.</source>
        <translation>Vui lòng nhập từ {min} đến {max}.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="80"/>
        <source>Please enter {min} or more.</source>
        <translation>Vui lòng nhập từ {min} trở lên.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="81"/>
        <source>Please enter {max} or less.</source>
        <translation>Vui lòng nhập không quá {max}.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="92"/>
        <source>This is too long: please use at most {max} characters.</source>
        <translation>Nội dung quá dài: vui lòng nhập không quá {max} ký tự.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="104"/>
        <source>Please fill this in.</source>
        <translation>Vui lòng điền mục này.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="105"/>
        <source>Please enter a number, using digits only.</source>
        <translation>Vui lòng chỉ nhập chữ số.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="107"/>
        <source>Please enter a 10-digit mobile number, for example 0912345678.</source>
        <translation>Vui lòng nhập số di động 10 chữ số, ví dụ 0912345678.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="109"/>
        <source>Please enter an email address like name@example.com.</source>
        <translation>Vui lòng nhập địa chỉ thư điện tử, ví dụ ten@example.com.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="111"/>
        <source>Please enter the date as day/month/year, for example 14/03/1995.</source>
        <translation>Vui lòng nhập ngày theo dạng ngày/tháng/năm, ví dụ 14/03/1995.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="113"/>
        <source>Please choose one option.</source>
        <translation>Vui lòng chọn một mục.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="114"/>
        <source>This does not match your ID number. Please check it against your card.</source>
        <translation>Thông tin này không khớp với số định danh. Vui lòng đối chiếu với thẻ căn cước.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="116"/>
        <source>Please choose the province or city, then the commune or ward.</source>
        <translation>Vui lòng chọn tỉnh hoặc thành phố, rồi chọn xã hoặc phường.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="118"/>
        <source>The document photo is missing. Please take the photo again or ask staff.</source>
        <translation>Chưa có ảnh giấy tờ. Vui lòng chụp lại hoặc hỏi cán bộ.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="121"/>
        <source>Please check this answer.</source>
        <translation>Vui lòng kiểm tra lại mục này.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="127"/>
        <source>(not given)</source>
        <translation>(không điền)</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="134"/>
        <source>Yes</source>
        <translation>Có</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="135"/>
        <source>No</source>
        <translation>Không</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="154"/>
        <source>The card reader is not working. Please type your ID number or ask staff.</source>
        <translation>Đầu đọc thẻ đang không hoạt động. Vui lòng nhập số định danh hoặc hỏi cán bộ.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="156"/>
        <source>Please place your ID card flat on the reader, chip side up.</source>
        <translation>Vui lòng đặt thẻ căn cước nằm phẳng trên đầu đọc, mặt có chip hướng lên.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="158"/>
        <source>The card was moved before reading finished. Please put it back and leave it on the reader until the screen says it is done.</source>
        <translation>Thẻ bị dịch chuyển khi chưa đọc xong. Vui lòng đặt lại thẻ và để yên cho đến khi màn hình báo đã xong.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="161"/>
        <source>The card could not be opened. Please ask a staff member for help.</source>
        <translation>Không mở được thẻ. Vui lòng nhờ cán bộ hỗ trợ.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="163"/>
        <source>The connection to the chip was interrupted. Please leave the card on the reader and try again.</source>
        <translation>Kết nối với chip bị gián đoạn. Vui lòng để thẻ trên đầu đọc và thử lại.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="166"/>
        <source>The chip&apos;s data cannot be read. Please type your ID number or ask staff.</source>
        <translation>Không đọc được dữ liệu trong chip. Vui lòng nhập số định danh hoặc hỏi cán bộ.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="168"/>
        <source>The card&apos;s data could not be verified. Please ask a staff member for help.</source>
        <translation>Không xác thực được dữ liệu của thẻ. Vui lòng nhờ cán bộ hỗ trợ.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="170"/>
        <source>Reading the card took too long. Please keep the card still and try again.</source>
        <translation>Đọc thẻ quá lâu. Vui lòng giữ yên thẻ và thử lại.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="172"/>
        <source>This reader cannot read the chip. Please type your ID number instead.</source>
        <translation>Đầu đọc này không đọc được chip. Vui lòng nhập số định danh.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="175"/>
        <source>The card could not be read. Please try again or ask a staff member.</source>
        <translation>Không đọc được thẻ. Vui lòng thử lại hoặc nhờ cán bộ hỗ trợ.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="182"/>
        <location filename="../../ui/texts.py" line="185"/>
        <location filename="../../ui/texts.py" line="188"/>
        <source>This QR code is not from a citizen ID card. Please show the QR code on the back of your ID card.</source>
        <translation>Mã QR này không phải của thẻ căn cước. Vui lòng đưa mã QR trên thẻ căn cước của ông/bà.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="191"/>
        <source>The QR code could not be read completely. Please hold the card still in front of the camera.</source>
        <translation>Chưa đọc được đầy đủ mã QR. Vui lòng giữ yên thẻ trước camera.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="194"/>
        <source>The details in this QR code do not match each other. Please ask a staff member for help.</source>
        <translation>Thông tin trong mã QR này không khớp với nhau. Vui lòng nhờ cán bộ hỗ trợ.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="198"/>
        <source>This QR code cannot be used. Please type your ID number instead.</source>
        <translation>Không dùng được mã QR này. Vui lòng nhập số định danh.</translation>
    </message>
</context>
<context>
    <name>WelcomeScreen</name>
    <message>
        <location filename="../../ui/screens/welcome.py" line="50"/>
        <source>Welcome</source>
        <translation>Xin kính chào</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="51"/>
        <source>Submit an application to the government here, by yourself, in a few minutes.</source>
        <translation>Tại đây, ông/bà có thể tự nộp hồ sơ thủ tục hành chính chỉ trong vài phút.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="55"/>
        <source>Show your ID card</source>
        <translation>Xuất trình thẻ căn cước</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="56"/>
        <source>Put your citizen ID card on the reader, or type its number.</source>
        <translation>Đặt thẻ căn cước lên đầu đọc, hoặc nhập số định danh.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="57"/>
        <source>Choose and fill in</source>
        <translation>Chọn thủ tục và điền thông tin</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="58"/>
        <source>Pick the service you need. Your details are filled in for you.</source>
        <translation>Chọn thủ tục cần làm. Thông tin cá nhân được điền sẵn.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="59"/>
        <source>Check and send</source>
        <translation>Kiểm tra và gửi</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="60"/>
        <source>Check everything, send it, and keep your application code.</source>
        <translation>Kiểm tra lại, gửi hồ sơ và giữ mã hồ sơ để theo dõi.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="65"/>
        <source>You can also simply put your ID card on the reader to begin.</source>
        <translation>Ông/bà cũng có thể đặt ngay thẻ căn cước lên đầu đọc để bắt đầu.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="67"/>
        <source>Start  ›</source>
        <translation>Bắt đầu  ›</translation>
    </message>
</context>
</TS>
