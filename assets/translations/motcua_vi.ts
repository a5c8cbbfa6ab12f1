<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN" sourcelanguage="en">
<context>
    <name>App</name>
    <message>
        <location filename="../../ui/app.py" line="48"/>
        <source>The kiosk cannot start</source>
        <extracomment>The longest the window waits for a running background job at exit; with the sync thread&apos;s own limit the kiosk is gone within 5 s of SIGTERM (systemd then need not SIGKILL it).</extracomment>
        <translation>Ki-ốt không khởi động được</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="49"/>
        <source>The kiosk could not start. Staff: please give this message to IT.</source>
        <translation>Ki-ốt không khởi động được. Cán bộ vui lòng chuyển thông báo này cho bộ phận kỹ thuật.</translation>
    </message>
</context>
<context>
    <name>CardGuard</name>
    <message>
        <location filename="../../ui/card_guard.py" line="202"/>
        <source>To keep going, put the card back or press Continue. Otherwise everything you entered will be deleted in {n} seconds.</source>
        <extracomment>the overlay&apos;s purpose for this question (``ConfirmOverlay.answered`` carries it back) how often &quot;Please take your ID card&quot; is said again while the card stays on the reader &quot;continued&quot; (answered, or the same card came back), &quot;ended&quot; (answered), &quot;expired&quot; (nobody answered) or &quot;other_card&quot; (a card with another ID number was put on the reader) the card left on the reader at the session&apos;s end was taken off (&quot;Please take...&quot; went) &quot;Please take your ID card&quot;, over ``host`` (the window), said with ``announce``</extracomment>
        <translation>Để làm tiếp, ông/bà vui lòng đặt lại thẻ hoặc bấm Tiếp tục. Nếu không, mọi thông tin ông/bà đã nhập sẽ bị xóa sau {n} giây.</translation>
    </message>
    <message>
        <location filename="../../ui/card_guard.py" line="211"/>
        <source>You took your ID card out. End and delete this application?</source>
        <translation>Ông/bà vừa rút thẻ căn cước. Kết thúc và xóa hồ sơ đang làm?</translation>
    </message>
    <message>
        <location filename="../../ui/card_guard.py" line="212"/>
        <source>End and delete</source>
        <translation>Kết thúc và xóa</translation>
    </message>
    <message>
        <location filename="../../ui/card_guard.py" line="212"/>
        <source>Continue</source>
        <translation>Tiếp tục</translation>
    </message>
    <message>
        <location filename="../../ui/card_guard.py" line="205"/>
        <source>Checking the card… please leave it on the reader.</source>
        <translation>Đang kiểm tra thẻ… ông/bà vui lòng để yên thẻ trên đầu đọc.</translation>
    </message>
    <message>
        <location filename="../../ui/card_guard.py" line="206"/>
        <source>The kiosk could not check this card. Press Continue only if this is your application.</source>
        <translation>Ki-ốt không kiểm tra được thẻ này. Chỉ bấm Tiếp tục nếu đây là hồ sơ của ông/bà.</translation>
    </message>
</context>
<context>
    <name>ChipResult</name>
    <message>
        <location filename="../../ui/widgets/chip_result.py" line="152"/>
        <source>The two records of the ID number on this chip do not match.</source>
        <translation>Hai bản ghi số định danh trong chip này không khớp nhau.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chip_result.py" line="160"/>
        <source>Male</source>
        <translation>Nam</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chip_result.py" line="161"/>
        <source>Female</source>
        <translation>Nữ</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chip_result.py" line="164"/>
        <source>ID number</source>
        <translation>Số định danh</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chip_result.py" line="165"/>
        <source>Date of birth</source>
        <translation>Ngày sinh</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chip_result.py" line="167"/>
        <source>Sex</source>
        <translation>Giới tính</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chip_result.py" line="168"/>
        <source>Residence</source>
        <translation>Nơi thường trú</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chip_result.py" line="177"/>
        <source>portrait</source>
        <translation>ảnh chân dung</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chip_result.py" line="178"/>
        <source>name</source>
        <translation>họ tên</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chip_result.py" line="179"/>
        <source>date of birth</source>
        <translation>ngày sinh</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chip_result.py" line="180"/>
        <source>residence</source>
        <translation>nơi thường trú</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chip_result.py" line="181"/>
        <source>place of origin</source>
        <translation>quê quán</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chip_result.py" line="182"/>
        <source>issue date</source>
        <translation>ngày cấp</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chip_result.py" line="183"/>
        <source>expiry date</source>
        <translation>ngày hết hạn</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chip_result.py" line="184"/>
        <source>other details</source>
        <translation>thông tin khác</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chip_result.py" line="188"/>
        <source>Could not be read from the chip: %1. Please type or check these yourself.</source>
        <translation>Không đọc được từ chip: %1. Vui lòng tự nhập hoặc kiểm tra lại các thông tin này.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chip_result.py" line="195"/>
        <source>Verified by chip</source>
        <translation>Đã xác thực bằng chip</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chip_result.py" line="196"/>
        <source>These details were read from your card&apos;s chip, and the chip is genuine. If they are yours, press Continue.</source>
        <translation>Các thông tin dưới đây được đọc từ chip trên thẻ của ông/bà, và chip là chip thật. Nếu đúng là của ông/bà, vui lòng bấm nút bên dưới để tiếp tục.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chip_result.py" line="200"/>
        <source>The chip did not pass the security check</source>
        <translation>Chip không vượt qua bước kiểm tra an toàn</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chip_result.py" line="202"/>
        <source>The kiosk cannot use the details from this chip. Please ask a staff member to check your card. You can still continue and type your details yourself.</source>
        <translation>Ki-ốt không thể dùng thông tin từ chip này. Vui lòng nhờ cán bộ kiểm tra thẻ của ông/bà. Ông/bà vẫn có thể tiếp tục và tự nhập thông tin của mình.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chip_result.py" line="206"/>
        <source>Read from the chip, not verified</source>
        <translation>Đã đọc từ chip, chưa xác thực được</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chip_result.py" line="207"/>
        <source>The details were read from your card&apos;s chip, but this kiosk cannot check that the card is genuine. Please check them; staff will look at your card at the counter. (Staff: the trusted card issuer certificates are not set up.)</source>
        <translation>Thông tin đã được đọc từ chip trên thẻ của ông/bà, nhưng ki-ốt này chưa kiểm tra được thẻ có phải thẻ thật hay không. Vui lòng xem lại thông tin; cán bộ sẽ kiểm tra thẻ tại quầy. (Cán bộ: chưa cài đặt chứng thư của cơ quan cấp thẻ.)</translation>
    </message>
</context>
<context>
    <name>ChooseScreen</name>
    <message>
        <location filename="../../ui/screens/choose.py" line="70"/>
        <source>Fee: {fee}   ·   Ready in {time}</source>
        <translation>Lệ phí: {fee}   ·   Có kết quả sau {time}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/choose.py" line="142"/>
        <source>Hello, {name}</source>
        <translation>Xin chào, {name}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/choose.py" line="144"/>
        <source>What do you need?</source>
        <translation>Ông/bà cần làm thủ tục gì?</translation>
    </message>
    <message>
        <location filename="../../ui/screens/choose.py" line="153"/>
        <source>Choose the service you want to apply for.</source>
        <translation>Vui lòng chọn thủ tục ông/bà muốn nộp hồ sơ.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/choose.py" line="154"/>
        <source>Search, e.g. “khai sinh” or “giay phep”</source>
        <translation>Tìm kiếm, ví dụ “khai sinh” hoặc “giay phep”</translation>
    </message>
    <message>
        <location filename="../../ui/screens/choose.py" line="155"/>
        <source>Nothing matches your search. Try fewer words, or ask staff.</source>
        <translation>Không tìm thấy thủ tục phù hợp. Vui lòng thử ít từ hơn hoặc hỏi cán bộ.</translation>
    </message>
</context>
<context>
    <name>ConnectionIndicator</name>
    <message>
        <location filename="../../ui/widgets/chrome.py" line="38"/>
        <source>Connected</source>
        <translation>Đã kết nối</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chrome.py" line="38"/>
        <source>Slow connection</source>
        <translation>Kết nối chậm</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chrome.py" line="39"/>
        <source>Checking the connection…</source>
        <translation>Đang kiểm tra kết nối…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chrome.py" line="39"/>
        <source>Offline</source>
        <translation>Mất kết nối</translation>
    </message>
</context>
<context>
    <name>ConsentScreen</name>
    <message>
        <location filename="../../ui/screens/consent.py" line="120"/>
        <source>Do you agree to the use of your personal data?</source>
        <translation>Ông/bà có đồng ý cho sử dụng thông tin cá nhân không?</translation>
    </message>
    <message>
        <location filename="../../ui/screens/consent.py" line="121"/>
        <source>The Law on Personal Data Protection (91/2025/QH15) and Decree 356/2025/NĐ-CP ask for your agreement before we send your application.</source>
        <translation>Theo Luật Bảo vệ dữ liệu cá nhân (số 91/2025/QH15) và Nghị định 356/2025/NĐ-CP, hồ sơ chỉ được gửi khi ông/bà đồng ý.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/consent.py" line="125"/>
        <source>Receive an SMS with the result?</source>
        <translation>Nhận tin nhắn SMS báo kết quả?</translation>
    </message>
    <message>
        <location filename="../../ui/screens/consent.py" line="126"/>
        <source>Yes, send me an SMS</source>
        <translation>Có, gửi SMS cho tôi</translation>
    </message>
    <message>
        <location filename="../../ui/screens/consent.py" line="127"/>
        <source>No SMS</source>
        <translation>Không nhận SMS</translation>
    </message>
    <message>
        <location filename="../../ui/screens/consent.py" line="130"/>
        <source>I do not agree</source>
        <translation>Tôi không đồng ý</translation>
    </message>
    <message>
        <location filename="../../ui/screens/consent.py" line="131"/>
        <source>I agree, send  ›</source>
        <translation>Tôi đồng ý, gửi hồ sơ  ›</translation>
    </message>
    <message>
        <location filename="../../ui/screens/consent.py" line="138"/>
        <source>the agency that handles this service</source>
        <translation>cơ quan giải quyết thủ tục này</translation>
    </message>
    <message>
        <location filename="../../ui/screens/consent.py" line="141"/>
        <source>What is sent: your name, ID number, date of birth, address, phone number and the answers you gave, to {agency}, only to handle your application and tell you the result.</source>
        <translation>Thông tin được gửi: họ tên, số định danh, ngày sinh, địa chỉ, số điện thoại và các câu trả lời ông/bà đã khai, đến {agency}, chỉ để giải quyết hồ sơ và báo kết quả cho ông/bà.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/consent.py" line="145"/>
        <source>The photos of documents you took here are sent with them.</source>
        <translation>Ảnh giấy tờ ông/bà đã chụp tại đây cũng được gửi kèm.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/consent.py" line="147"/>
        <source>What this kiosk keeps: your application, encrypted, until it has been sent, and for {days} days after that; then only its code. If you do not agree, nothing is kept.</source>
        <translation>Ki-ốt lưu lại: hồ sơ của ông/bà, đã được mã hóa, cho đến khi gửi xong và thêm {days} ngày sau đó; sau đó chỉ giữ mã hồ sơ. Nếu ông/bà không đồng ý, ki-ốt không lưu gì.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/consent.py" line="150"/>
        <source>You can ask {agency} to see, correct or delete your data, or withdraw your agreement.</source>
        <translation>Ông/bà có quyền đề nghị {agency} cho xem, sửa, xóa thông tin của mình hoặc rút lại sự đồng ý.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/consent.py" line="185"/>
        <source>Without your agreement the kiosk cannot send your application. Nothing has been sent. You can go back, or ask staff at the counter to help you apply on paper.</source>
        <translation>Nếu ông/bà không đồng ý, ki-ốt không thể gửi hồ sơ. Chưa có gì được gửi đi. Ông/bà có thể quay lại, hoặc nhờ cán bộ tại quầy giúp nộp hồ sơ giấy.</translation>
    </message>
</context>
<context>
    <name>DemoPanel</name>
    <message>
        <location filename="../../ui/widgets/demo_panel.py" line="131"/>
        <source>DEMO
DEVICES</source>
        <translation>THIẾT BỊ
GIẢ LẬP</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/demo_panel.py" line="132"/>
        <source>Show</source>
        <translation>Hiện</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/demo_panel.py" line="133"/>
        <source>Hide</source>
        <translation>Ẩn</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/demo_panel.py" line="134"/>
        <source>Put card on reader</source>
        <translation>Đặt thẻ lên đầu đọc</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/demo_panel.py" line="135"/>
        <source>Take card off</source>
        <translation>Lấy thẻ ra</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/demo_panel.py" line="136"/>
        <source>Show QR</source>
        <translation>Đưa mã QR</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/demo_panel.py" line="137"/>
        <source>to the scanner</source>
        <translation>vào máy quét</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/demo_panel.py" line="138"/>
        <source>to the camera</source>
        <translation>vào camera</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/demo_panel.py" line="139"/>
        <source>Receipt: ESC/POS</source>
        <translation>Phiếu: máy in ESC/POS</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/demo_panel.py" line="140"/>
        <source>Receipt: PDF</source>
        <translation>Phiếu: PDF</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/demo_panel.py" line="141"/>
        <source>Show a document</source>
        <translation>Đưa giấy tờ trước camera</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/demo_panel.py" line="142"/>
        <source>Sample cards from assets/profiles</source>
        <translation>Thẻ mẫu trong assets/profiles</translation>
    </message>
</context>
<context>
    <name>DocumentField</name>
    <message>
        <location filename="../../ui/widgets/document_field.py" line="98"/>
        <source>📷  Take a photo of the document</source>
        <extracomment>the thumbnail&apos;s box (width, height) in pixels: a page, upright</extracomment>
        <translation>📷  Chụp ảnh giấy tờ</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/document_field.py" line="99"/>
        <source>Take it again</source>
        <translation>Chụp lại</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/document_field.py" line="100"/>
        <source>Remove</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/document_field.py" line="103"/>
        <source>This kiosk cannot photograph documents, and this one is needed. Please take the paper document to the staff at the counter to finish your application.</source>
        <translation>Ki-ốt này không chụp được giấy tờ, mà giấy tờ này là bắt buộc. Vui lòng mang giấy tờ đến cán bộ tại quầy để hoàn tất hồ sơ.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/document_field.py" line="108"/>
        <source>This kiosk cannot photograph documents. You may leave this empty and hand the paper document to the staff at the counter.</source>
        <translation>Ki-ốt này không chụp được giấy tờ. Ông/bà có thể bỏ trống mục này và nộp giấy tờ cho cán bộ tại quầy.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/document_field.py" line="150"/>
        <source>✓  Photo taken</source>
        <translation>✓  Đã chụp ảnh</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/document_field.py" line="152"/>
        <source>1 page</source>
        <translation>1 trang</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/document_field.py" line="154"/>
        <source>{n} pages</source>
        <translation>{n} trang</translation>
    </message>
</context>
<context>
    <name>DocumentScreen</name>
    <message>
        <location filename="../../ui/screens/document.py" line="297"/>
        <source>No page was found in the photo. Lay the paper flat on the dark surface, keep it still, with all four corners inside the frame, and press Take photo again.</source>
        <extracomment>pages in one attachment at most (each is a few hundred KB; the size limit usually comes first) the corrected page shown for checking is shrunk to this many pixels on its longer side a portrait A4 sheet: height / width</extracomment>
        <translation>Không tìm thấy tờ giấy trong ảnh. Đặt giấy tờ phẳng lên nền tối, giữ yên, để cả bốn góc nằm trong khung, rồi bấm Chụp lần nữa.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/document.py" line="301"/>
        <source>The camera did not send a picture. Please try again, or ask a staff member.</source>
        <translation>Camera chưa gửi được hình. Vui lòng thử lại hoặc nhờ cán bộ giúp.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/document.py" line="305"/>
        <source>The photo could not be processed. Please take it again, or ask a staff member.</source>
        <translation>Không xử lý được ảnh. Vui lòng chụp lại hoặc nhờ cán bộ giúp.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/document.py" line="331"/>
        <source>The document would be {size}, more than the {limit} allowed. Use fewer pages, and hand the other pages to the staff at the counter.</source>
        <translation>Giấy tờ sẽ nặng {size}, quá mức cho phép {limit}. Vui lòng chụp ít trang hơn và nộp các trang còn lại cho cán bộ tại quầy.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/document.py" line="339"/>
        <source>Take this page again</source>
        <translation>Chụp lại trang này</translation>
    </message>
    <message>
        <location filename="../../ui/screens/document.py" line="340"/>
        <source>+  Add another page</source>
        <translation>+  Thêm trang</translation>
    </message>
    <message>
        <location filename="../../ui/screens/document.py" line="342"/>
        <source>Check that the page is complete and easy to read.</source>
        <translation>Xem lại trang giấy đã đủ và dễ đọc chưa.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/document.py" line="343"/>
        <source>✓  Use this photo</source>
        <translation>✓  Dùng ảnh này</translation>
    </message>
    <message>
        <location filename="../../ui/screens/document.py" line="344"/>
        <source>Is every word readable?</source>
        <translation>Chữ có đọc rõ không?</translation>
    </message>
    <message>
        <location filename="../../ui/screens/document.py" line="346"/>
        <source>1 page</source>
        <translation>1 trang</translation>
    </message>
    <message>
        <location filename="../../ui/screens/document.py" line="346"/>
        <source>{n} pages</source>
        <translation>{n} trang</translation>
    </message>
    <message>
        <location filename="../../ui/screens/document.py" line="349"/>
        <source>Lay the paper flat on the dark surface under the camera, inside the white frame.</source>
        <translation>Đặt giấy tờ phẳng lên nền tối dưới camera, nằm trong khung trắng.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/document.py" line="351"/>
        <source>📷  Take photo</source>
        <translation>📷  Chụp</translation>
    </message>
    <message>
        <location filename="../../ui/screens/document.py" line="353"/>
        <source>Straightening the photo…</source>
        <translation>Đang làm thẳng ảnh…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/document.py" line="355"/>
        <source>Page {n}: keep it still, then press Take photo.</source>
        <translation>Trang {n}: giữ yên giấy rồi bấm Chụp.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/document.py" line="358"/>
        <source>Keep your hands away and the paper still, then press Take photo.</source>
        <translation>Bỏ tay ra, giữ yên giấy rồi bấm Chụp.</translation>
    </message>
</context>
<context>
    <name>FeeQrPanel</name>
    <message>
        <location filename="../../ui/widgets/fee_qr.py" line="160"/>
        <source>Fee to pay</source>
        <extracomment>DEMO ONLY, NOT A REAL ACCOUNT: shown on a demo kiosk that has no ``[fee]`` account configured. 970415 is VietinBank&apos;s BIN; the account number is all zeros.</extracomment>
        <translation>Lệ phí cần nộp</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fee_qr.py" line="161"/>
        <source>Payment QR code</source>
        <translation>Mã QR thanh toán</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fee_qr.py" line="163"/>
        <source>Your application is not sent yet, so there is no payment code. Please pay this fee at the counter when you collect the result.</source>
        <translation>Hồ sơ chưa được gửi đi nên chưa có mã thanh toán. Ông/bà vui lòng nộp lệ phí này tại quầy khi nhận kết quả.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fee_qr.py" line="167"/>
        <source>Scan this code with your bank&apos;s app to pay. The amount and your application code are already filled in.</source>
        <translation>Ông/bà quét mã này bằng ứng dụng ngân hàng để nộp tiền. Số tiền và mã hồ sơ đã được điền sẵn.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fee_qr.py" line="170"/>
        <source>Please pay this fee at the counter.</source>
        <translation>Ông/bà vui lòng nộp lệ phí này tại quầy.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fee_qr.py" line="172"/>
        <source>There is nothing to pay.</source>
        <translation>Ông/bà không phải nộp lệ phí.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fee_qr.py" line="173"/>
        <source>DEMO ACCOUNT: do not transfer money</source>
        <translation>TÀI KHOẢN DEMO: không chuyển tiền</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fee_qr.py" line="174"/>
        <source>Pay at the counter instead</source>
        <translation>Nộp tiền tại quầy</translation>
    </message>
</context>
<context>
    <name>FieldEditor</name>
    <message>
        <location filename="../../ui/widgets/fields.py" line="73"/>
        <source>day/month/year, e.g. 14/03/1995</source>
        <translation>ngày/tháng/năm, ví dụ 14/03/1995</translation>
    </message>
    <message>
        <location filename="../../ui/screens/consent.py" line="128"/>
        <location filename="../../ui/widgets/fields.py" line="74"/>
        <source>e.g. 0912345678</source>
        <translation>ví dụ 0912345678</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="75"/>
        <source>e.g. name@example.com</source>
        <translation>ví dụ ten@example.com</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="120"/>
        <source>Yes</source>
        <translation>Có</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="121"/>
        <source>No</source>
        <translation>Không</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="176"/>
        <source>One less</source>
        <translation>Bớt một</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="177"/>
        <source>One more</source>
        <translation>Thêm một</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="228"/>
        <source>Province or city…</source>
        <translation>Tỉnh hoặc thành phố…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="229"/>
        <source>Commune or ward…</source>
        <translation>Xã hoặc phường…</translation>
    </message>
</context>
<context>
    <name>FormScreen</name>
    <message>
        <location filename="../../ui/screens/form.py" line="72"/>
        <source>(optional)</source>
        <extracomment>choice labels longer than this, all together (in the longer language), need the whole width</extracomment>
        <translation>(không bắt buộc)</translation>
    </message>
    <message>
        <location filename="../../ui/screens/form.py" line="309"/>
        <source>Please look at the answer marked below.</source>
        <extracomment>an attachment field&apos;s &quot;take a photo&quot; was pressed: the field&apos;s id (the main window opens the document camera and answers with ``show_document``)</extracomment>
        <translation>Vui lòng xem lại mục được đánh dấu bên dưới.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/form.py" line="310"/>
        <source>Please look at the {n} answers marked below.</source>
        <translation>Vui lòng xem lại {n} mục được đánh dấu bên dưới.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/form.py" line="346"/>
        <source>Check the details from your card</source>
        <translation>Kiểm tra thông tin lấy từ thẻ</translation>
    </message>
    <message>
        <location filename="../../ui/screens/form.py" line="353"/>
        <source>Question {n} of {total}</source>
        <translation>Câu hỏi {n}/{total}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/form.py" line="356"/>
        <source>Continue  ›</source>
        <translation>Tiếp tục  ›</translation>
    </message>
    <message>
        <location filename="../../ui/screens/form.py" line="355"/>
        <source>Check my answers  ›</source>
        <translation>Xem lại hồ sơ  ›</translation>
    </message>
</context>
<context>
    <name>Header</name>
    <message>
        <location filename="../../ui/widgets/chrome.py" line="176"/>
        <source>Public Service Kiosk</source>
        <translation>Ki-ốt Dịch vụ công</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chrome.py" line="177"/>
        <source>One-stop service centre · {unit}</source>
        <translation>Trung tâm Phục vụ hành chính công · {unit}</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chrome.py" line="179"/>
        <source>Read aloud</source>
        <translation>Đọc to</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chrome.py" line="181"/>
        <location filename="../../ui/widgets/chrome.py" line="182"/>
        <source>Text size</source>
        <translation>Cỡ chữ</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/chrome.py" line="184"/>
        <location filename="../../ui/widgets/chrome.py" line="185"/>
        <source>High contrast</source>
        <translation>Tương phản cao</translation>
    </message>
</context>
<context>
    <name>HelpCall</name>
    <message>
        <location filename="../../ui/help_call.py" line="63"/>
        <source>Staff have been called. Please wait, someone is coming to help you.</source>
        <translation>Đã gọi cán bộ. Ông/bà vui lòng chờ, cán bộ sẽ đến hỗ trợ ngay.</translation>
    </message>
    <message>
        <location filename="../../ui/help_call.py" line="91"/>
        <source>Staff called</source>
        <translation>Đã gọi cán bộ</translation>
    </message>
    <message>
        <location filename="../../ui/help_call.py" line="91"/>
        <source>Call staff</source>
        <translation>Gọi hỗ trợ</translation>
    </message>
    <message>
        <location filename="../../ui/help_call.py" line="92"/>
        <source>Withdraw the call for staff</source>
        <translation>Hủy gọi cán bộ</translation>
    </message>
    <message>
        <location filename="../../ui/help_call.py" line="93"/>
        <source>Call a staff member to help you</source>
        <translation>Gọi cán bộ đến hỗ trợ ông/bà</translation>
    </message>
</context>
<context>
    <name>IdentifyScreen</name>
    <message>
        <location filename="../../ui/screens/identify.py" line="189"/>
        <source>Who is applying?</source>
        <extracomment>the files of a read in order, with the share of the bar each gets (the portrait is most of it); DG14 comes first because chip authentication with its key protects the rest of the read the typed ID number, to open a chip that needs its key (the main window reads again) the citizen wants to scan the QR code on the card with the scan view the date of birth (YYMMDD) typed because the chip&apos;s key needs it (no PACE on the card)</extracomment>
        <translation>Ai là người nộp hồ sơ?</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="190"/>
        <source>We need your citizen ID card to fill in your details for you.</source>
        <translation>Chúng tôi cần thẻ căn cước của ông/bà để tự điền thông tin giúp ông/bà.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="192"/>
        <source>Put your ID card on the reader</source>
        <translation>Đặt thẻ căn cước lên đầu đọc</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="194"/>
        <source>Type your date of birth: day, month and year (8 digits)</source>
        <translation>Nhập ngày sinh của ông/bà: ngày, tháng và năm (8 chữ số)</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="196"/>
        <source>for example 14031995</source>
        <translation>ví dụ 14031995</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="199"/>
        <source>Or type your 12-digit ID number</source>
        <translation>Hoặc nhập số định danh 12 chữ số</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="200"/>
        <source>12 digits</source>
        <translation>12 chữ số</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="201"/>
        <source>or</source>
        <translation>hoặc</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="203"/>
        <source>Or hold the QR code on your card under the scanner&apos;s light.</source>
        <translation>Hoặc đưa mã QR trên thẻ vào dưới ánh sáng của máy quét.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="205"/>
        <source>Scan the QR code on my card</source>
        <translation>Quét mã QR trên thẻ</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="213"/>
        <source>Continue and type my details  ›</source>
        <translation>Tiếp tục và tự nhập thông tin  ›</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="215"/>
        <source>Yes, this is me  ›</source>
        <translation>Đúng, đây là tôi  ›</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="217"/>
        <source>Continue  ›</source>
        <translation>Tiếp tục  ›</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="221"/>
        <source>This card can only be opened with the date of birth printed on it. Please type your date of birth with the keypad, or show the QR code on your card to the camera.</source>
        <translation>Thẻ này chỉ mở được bằng ngày sinh in trên thẻ. Vui lòng nhập ngày sinh bằng bàn phím số, hoặc đưa mã QR trên thẻ trước camera.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="227"/>
        <source>No card reader is connected right now. Please type your 12-digit ID number, or show the QR code on your card.</source>
        <translation>Hiện chưa có đầu đọc thẻ. Vui lòng nhập số định danh 12 chữ số, hoặc đưa mã QR trên thẻ.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="232"/>
        <source>To open the card&apos;s chip, the kiosk needs the number printed on your card. Please type your 12-digit ID number, or show the QR code on your card to the camera.</source>
        <translation>Để mở chip trên thẻ, ki-ốt cần số in trên thẻ của ông/bà. Vui lòng nhập số định danh 12 chữ số, hoặc đưa mã QR trên thẻ trước camera.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="237"/>
        <source>Please place your ID card on the reader, chip side up, and leave it there until the next screen appears.</source>
        <translation>Vui lòng đặt thẻ căn cước lên đầu đọc, mặt có chip hướng lên, và để yên cho đến khi màn hình chuyển sang bước tiếp theo.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="298"/>
        <source>Reading your card… please do not move it.</source>
        <translation>Đang đọc thẻ… vui lòng không di chuyển thẻ.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="331"/>
        <source>This is not a date of birth. Please type the day, the month and the year, for example 14031995 for 14 March 1995.</source>
        <translation>Đây không phải là ngày sinh. Vui lòng nhập ngày, tháng và năm, ví dụ 14031995 cho ngày 14 tháng 3 năm 1995.</translation>
    </message>
</context>
<context>
    <name>Keyboard</name>
    <message>
        <location filename="../../ui/keyboard/widget.py" line="28"/>
        <source>Capital letter</source>
        <translation>Chữ hoa</translation>
    </message>
    <message>
        <location filename="../../ui/keyboard/widget.py" line="29"/>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <location filename="../../ui/keyboard/widget.py" line="30"/>
        <source>Space</source>
        <translation>dấu cách</translation>
    </message>
    <message>
        <location filename="../../ui/keyboard/widget.py" line="31"/>
        <source>Typing method</source>
        <translation>Kiểu gõ</translation>
    </message>
    <message>
        <location filename="../../ui/keyboard/widget.py" line="32"/>
        <source>Acute tone (sắc)</source>
        <translation>Dấu sắc</translation>
    </message>
    <message>
        <location filename="../../ui/keyboard/widget.py" line="33"/>
        <source>Grave tone (huyền)</source>
        <translation>Dấu huyền</translation>
    </message>
    <message>
        <location filename="../../ui/keyboard/widget.py" line="34"/>
        <source>Hook tone (hỏi)</source>
        <translation>Dấu hỏi</translation>
    </message>
    <message>
        <location filename="../../ui/keyboard/widget.py" line="35"/>
        <source>Tilde tone (ngã)</source>
        <translation>Dấu ngã</translation>
    </message>
    <message>
        <location filename="../../ui/keyboard/widget.py" line="36"/>
        <source>Dot tone (nặng)</source>
        <translation>Dấu nặng</translation>
    </message>
    <message>
        <location filename="../../ui/keyboard/widget.py" line="148"/>
        <source>No accents</source>
        <translation>Không dấu</translation>
    </message>
</context>
<context>
    <name>KeyboardDock</name>
    <message>
        <location filename="../../ui/assist.py" line="189"/>
        <source>Hide
keyboard
▾</source>
        <translation>Ẩn
bàn phím
▾</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="401"/>
        <source>Stop this application?</source>
        <extracomment>how long a busy thread (QR decoding, card reading) may keep the GIL from the GUI thread when the GUI asks for it; Python&apos;s default is 5 ms, several of which make a visible stall the numbered steps shown as &quot;Step n of 8&quot; (the welcome screen has none)</extracomment>
        <translation>Dừng nộp hồ sơ này?</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="402"/>
        <source>Everything you entered will be deleted from this kiosk. Nothing will be sent.</source>
        <translation>Mọi thông tin ông/bà đã nhập sẽ bị xóa khỏi ki-ốt. Hồ sơ sẽ không được gửi đi.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="404"/>
        <source>Yes, stop and delete</source>
        <translation>Có, dừng và xóa</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="405"/>
        <source>No, continue</source>
        <translation>Không, làm tiếp</translation>
    </message>
    <message>
        <location filename="../../ui/idle.py" line="134"/>
        <source>Do you need more time?</source>
        <extracomment>the overlay&apos;s purpose for the idle question</extracomment>
        <translation>Ông/bà có cần thêm thời gian không?</translation>
    </message>
    <message>
        <location filename="../../ui/idle.py" line="135"/>
        <source>To protect your information, this application will be deleted in {n} seconds.</source>
        <translation>Để bảo vệ thông tin của ông/bà, hồ sơ đang làm sẽ được xóa sau {n} giây.</translation>
    </message>
    <message>
        <location filename="../../ui/idle.py" line="138"/>
        <source>Yes, I need more time</source>
        <translation>Có, tôi cần thêm thời gian</translation>
    </message>
    <message>
        <location filename="../../ui/idle.py" line="139"/>
        <source>Stop and delete</source>
        <translation>Dừng và xóa</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="481"/>
        <source>The kiosk&apos;s storage is full, so your application was NOT saved or sent. Please ask a staff member for help; your answers are still here.</source>
        <translation>Bộ nhớ của ki-ốt đã đầy nên hồ sơ của ông/bà CHƯA được lưu và CHƯA được gửi. Vui lòng nhờ cán bộ hỗ trợ; các thông tin ông/bà đã nhập vẫn còn nguyên.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="485"/>
        <source>The kiosk could not save your application, so it was NOT sent. Please try again, or ask a staff member for help.</source>
        <translation>Ki-ốt chưa lưu được hồ sơ, nên hồ sơ CHƯA được gửi. Vui lòng thử lại hoặc nhờ cán bộ hỗ trợ.</translation>
    </message>
    <message>
        <location filename="../../ui/scanning.py" line="99"/>
        <source>The QR code of your ID card was read</source>
        <translation>Đã đọc được mã QR trên thẻ căn cước</translation>
    </message>
    <message>
        <location filename="../../ui/scanning.py" line="135"/>
        <source>The QR code of your receipt was read</source>
        <translation>Đã đọc được mã QR trên phiếu hẹn</translation>
    </message>
    <message>
        <location filename="../../ui/scanning.py" line="209"/>
        <source>This photo cannot be used. Please take it again.</source>
        <translation>Không dùng được ảnh này. Vui lòng chụp lại.</translation>
    </message>
    <message>
        <location filename="../../ui/scanning.py" line="239"/>
        <source>The application could not be checked. Please try again or ask a staff member.</source>
        <translation>Chưa tra cứu được hồ sơ. Vui lòng thử lại hoặc nhờ cán bộ giúp đỡ.</translation>
    </message>
</context>
<context>
    <name>ManualEntryPanel</name>
    <message>
        <location filename="../../ui/staff/manual.py" line="147"/>
        <source>For manual entry at the counter</source>
        <translation>Để nhập thủ công tại quầy</translation>
    </message>
    <message>
        <location filename="../../ui/staff/manual.py" line="148"/>
        <source>Applicant</source>
        <translation>Người nộp hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/staff/manual.py" line="149"/>
        <source>Form</source>
        <translation>Tờ khai</translation>
    </message>
    <message>
        <location filename="../../ui/staff/manual.py" line="158"/>
        <source>Kiosk reference</source>
        <translation>Mã hồ sơ trên ki-ốt</translation>
    </message>
    <message>
        <location filename="../../ui/staff/manual.py" line="158"/>
        <source>Procedure code</source>
        <translation>Mã thủ tục</translation>
    </message>
    <message>
        <location filename="../../ui/staff/manual.py" line="159"/>
        <source>Submitted at</source>
        <translation>Thời điểm nộp</translation>
    </message>
    <message>
        <location filename="../../ui/staff/manual.py" line="159"/>
        <source>Why it needs attention</source>
        <translation>Lý do cần xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/staff/manual.py" line="162"/>
        <source>ID number</source>
        <translation>Số định danh cá nhân</translation>
    </message>
    <message>
        <location filename="../../ui/staff/manual.py" line="162"/>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <location filename="../../ui/staff/manual.py" line="163"/>
        <source>Date of birth</source>
        <translation>Ngày sinh</translation>
    </message>
    <message>
        <location filename="../../ui/staff/manual.py" line="163"/>
        <source>Sex</source>
        <translation>Giới tính</translation>
    </message>
    <message>
        <location filename="../../ui/staff/manual.py" line="164"/>
        <source>Identified by</source>
        <translation>Xác thực bằng</translation>
    </message>
    <message>
        <location filename="../../ui/staff/manual.py" line="164"/>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <location filename="../../ui/staff/manual.py" line="165"/>
        <source>Phone</source>
        <translation>Số điện thoại</translation>
    </message>
    <message>
        <location filename="../../ui/staff/manual.py" line="178"/>
        <source>No printer: saved as {path}. Delete it once the application is entered.</source>
        <translation>Không có máy in: đã lưu thành tệp {path}. Hãy xóa tệp này sau khi đã nhập xong hồ sơ.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/manual.py" line="189"/>
        <source>Export for manual entry</source>
        <translation>Xuất để nhập thủ công</translation>
    </message>
    <message>
        <location filename="../../ui/staff/manual.py" line="190"/>
        <source>Staff only. Type these details into the counter system, then close this sheet.</source>
        <translation>Chỉ dành cho cán bộ. Hãy nhập các thông tin này vào hệ thống tại quầy, sau đó đóng trang này.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/manual.py" line="192"/>
        <source>Print</source>
        <translation>In</translation>
    </message>
    <message>
        <location filename="../../ui/staff/manual.py" line="193"/>
        <source>Close</source>
        <translation>Đóng</translation>
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
    <name>RatingPrompt</name>
    <message>
        <location filename="../../ui/widgets/rating.py" line="79"/>
        <source>Thank you for your answer.</source>
        <extracomment>the scale, best first: score, object name how long the question waits for an answer, and how long the thanks stay</extracomment>
        <translation>Cảm ơn ông/bà đã đánh giá.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/rating.py" line="89"/>
        <source>Are you satisfied with applying at this kiosk?</source>
        <translation>Ông/bà có hài lòng khi nộp hồ sơ tại ki-ốt không?</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/rating.py" line="90"/>
        <source>One touch is enough; nothing about you is kept.</source>
        <translation>Chỉ cần chạm một lần; ki-ốt không lưu thông tin gì về ông/bà.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/rating.py" line="91"/>
        <source>Very satisfied</source>
        <translation>Rất hài lòng</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/rating.py" line="91"/>
        <source>Satisfied</source>
        <translation>Hài lòng</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/rating.py" line="92"/>
        <source>Not satisfied</source>
        <translation>Chưa hài lòng</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/rating.py" line="95"/>
        <source>Skip</source>
        <translation>Bỏ qua</translation>
    </message>
</context>
<context>
    <name>Receipt</name>
    <message>
        <location filename="../../ui/printing.py" line="105"/>
        <source>The result will be sent by SMS to {phone}.</source>
        <extracomment>the SMS number masked (``mask_phone``) when the citizen opted in; &quot;&quot; = no SMS</extracomment>
        <translation>Kết quả sẽ được báo qua SMS tới {phone}.</translation>
    </message>
    <message>
        <location filename="../../ui/printing.py" line="107"/>
        <source>You did not sign up for SMS messages.</source>
        <translation>Ông/bà không đăng ký nhận SMS.</translation>
    </message>
    <message>
        <location filename="../../ui/printing.py" line="145"/>
        <source>Fee: free of charge</source>
        <translation>Lệ phí: miễn phí</translation>
    </message>
    <message>
        <location filename="../../ui/printing.py" line="148"/>
        <source>Fee: {amount}, paid</source>
        <translation>Lệ phí: {amount}, đã nộp</translation>
    </message>
    <message>
        <location filename="../../ui/printing.py" line="149"/>
        <source>Fee: {amount}, to pay at the counter</source>
        <translation>Lệ phí: {amount}, nộp tại quầy</translation>
    </message>
    <message>
        <location filename="../../ui/printing.py" line="156"/>
        <source>Your reference (not yet sent)</source>
        <translation>Mã tham chiếu của ông/bà (chưa gửi)</translation>
    </message>
    <message>
        <location filename="../../ui/printing.py" line="158"/>
        <source>Your application code</source>
        <translation>Mã hồ sơ của ông/bà</translation>
    </message>
    <message>
        <location filename="../../ui/printing.py" line="159"/>
        <source>APPLICATION RECEIPT</source>
        <translation>GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ</translation>
    </message>
    <message>
        <location filename="../../ui/printing.py" line="160"/>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <location filename="../../ui/printing.py" line="173"/>
        <source>The network was down: your application is saved on this kiosk and will be sent automatically. Keep this reference.</source>
        <translation>Mạng đang gián đoạn: hồ sơ của ông/bà đã được lưu trên máy này và sẽ được gửi tự động. Ông/bà vui lòng giữ mã tham chiếu này.</translation>
    </message>
    <message>
        <location filename="../../ui/printing.py" line="176"/>
        <source>Received: {when}</source>
        <translation>Ngày tiếp nhận: {when}</translation>
    </message>
    <message>
        <location filename="../../ui/printing.py" line="178"/>
        <source>Appointment for the result: {day}</source>
        <translation>Ngày hẹn trả kết quả: {day}</translation>
    </message>
    <message>
        <location filename="../../ui/printing.py" line="181"/>
        <source>Appointment for the result: to be announced</source>
        <translation>Ngày hẹn trả kết quả: sẽ thông báo sau</translation>
    </message>
    <message>
        <location filename="../../ui/printing.py" line="185"/>
        <source>To check the status, scan this QR code at any kiosk of the centre or visit {where}.</source>
        <translation>Để tra cứu tình trạng hồ sơ, ông/bà quét mã QR này tại bất kỳ máy kiosk nào của Trung tâm hoặc truy cập {where}.</translation>
    </message>
    <message>
        <location filename="../../ui/printing.py" line="189"/>
        <source>To check the status, scan this QR code at any kiosk of the centre.</source>
        <translation>Để tra cứu tình trạng hồ sơ, ông/bà quét mã QR này tại bất kỳ máy kiosk nào của Trung tâm.</translation>
    </message>
</context>
<context>
    <name>ReceiptScreen</name>
    <message>
        <location filename="../../ui/screens/receipt.py" line="276"/>
        <source>Your application has been received</source>
        <translation>Hồ sơ của ông/bà đã được tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="277"/>
        <source>Your application code</source>
        <translation>Mã hồ sơ của ông/bà</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="279"/>
        <source>Please write down or photograph this code: you need it to follow your application. The result is expected in {time}.</source>
        <translation>Vui lòng ghi lại hoặc chụp ảnh mã này để theo dõi hồ sơ. Dự kiến có kết quả sau {time}.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="290"/>
        <source>The QR code of your application: scan it at a kiosk to check its status</source>
        <translation>Mã QR của hồ sơ: quét tại ki-ốt để tra cứu tình trạng</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="294"/>
        <source>Your application is saved</source>
        <translation>Hồ sơ của ông/bà đã được lưu</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="295"/>
        <location filename="../../ui/screens/receipt.py" line="308"/>
        <source>Your reference</source>
        <translation>Số tham chiếu của ông/bà</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="297"/>
        <source>The connection to the government portal is down right now. Your application is saved and will be sent automatically when the connection returns; your reference is {ref}. You do not need to do anything else.</source>
        <translation>Hiện chưa kết nối được với Cổng dịch vụ công. Hồ sơ của ông/bà đã được lưu và sẽ tự động gửi đi khi có kết nối trở lại; số tham chiếu của ông/bà là {ref}. Ông/bà không cần làm gì thêm.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="307"/>
        <source>Your application needs a staff member</source>
        <translation>Hồ sơ cần cán bộ hỗ trợ</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="310"/>
        <source>The portal could not accept your application as it is. It is saved on this kiosk: please see the staff at the counter and show them your reference {ref}.</source>
        <translation>Cổng dịch vụ công chưa tiếp nhận được hồ sơ này. Hồ sơ đã được lưu trên ki-ốt: vui lòng gặp cán bộ tại quầy và đưa số tham chiếu {ref}.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="327"/>
        <source>This screen returns to the start in {n} seconds.</source>
        <translation>Màn hình sẽ trở về trang đầu sau {n} giây.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="367"/>
        <source>One-stop service centre</source>
        <translation>Trung tâm Phục vụ hành chính công</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="406"/>
        <location filename="../../ui/screens/receipt.py" line="452"/>
        <source>The printer is not ready. Your receipt has been saved and staff will print it for you.</source>
        <translation>Máy in chưa sẵn sàng. Phiếu hẹn đã được lưu, cán bộ sẽ in giúp ông/bà.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="408"/>
        <source>This kiosk has no printer. Your receipt has been saved and staff can print it; please also note your code.</source>
        <translation>Ki-ốt này chưa có máy in. Phiếu hẹn đã được lưu, cán bộ có thể in giúp; ông/bà vui lòng ghi lại mã hồ sơ.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="423"/>
        <source>Printing your receipt…</source>
        <translation>Đang in phiếu hẹn…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="467"/>
        <source>The receipt could not be printed. Please write down or photograph your code, or ask staff for help.</source>
        <translation>Không in được phiếu hẹn. Ông/bà vui lòng ghi lại hoặc chụp ảnh mã hồ sơ, hoặc nhờ cán bộ giúp đỡ.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="476"/>
        <source>More time</source>
        <translation>Thêm thời gian</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="402"/>
        <location filename="../../ui/screens/receipt.py" line="436"/>
        <source>Your receipt has been printed.</source>
        <translation>Đã in phiếu hẹn cho ông/bà.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="270"/>
        <source>Appointment for the result: {day}</source>
        <extracomment>the configured printer took the slip (True) or failed and a PDF was saved (False) what an ESC/POS printer said about itself (a devices.printer.PrinterStatus) the citizen pressed &quot;Done&quot; (the procedure&apos;s code: the satisfaction question follows) an ESC/POS printer (devices.printer.ReceiptPrinter) used instead of Qt&apos;s, and how to run its blocking job off the GUI thread: ``use_escpos`` what main_window passes as ``fee_account``: the configured account, or on a demo kiosk only the marked demo account</extracomment>
        <translation>Hẹn trả kết quả: {day}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="472"/>
        <source>Thank you</source>
        <translation>Xin cảm ơn</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="473"/>
        <source>Please take note of the code below.</source>
        <translation>Vui lòng ghi lại mã dưới đây.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="474"/>
        <source>Done</source>
        <translation>Xong</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="475"/>
        <source>Print receipt</source>
        <translation>In phiếu hẹn</translation>
    </message>
</context>
<context>
    <name>RequirementsScreen</name>
    <message>
        <location filename="../../ui/screens/requirements.py" line="43"/>
        <source>Service</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <location filename="../../ui/screens/requirements.py" line="45"/>
        <source>Fee: {fee}   ·   Ready in {time}</source>
        <translation>Lệ phí: {fee}   ·   Có kết quả sau {time}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/requirements.py" line="49"/>
        <source>Please bring</source>
        <translation>Ông/bà cần mang theo</translation>
    </message>
    <message>
        <location filename="../../ui/screens/requirements.py" line="51"/>
        <source>Nothing: you do not need to bring any papers.</source>
        <translation>Không cần mang giấy tờ gì.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/requirements.py" line="55"/>
        <source>No need to bring (the national databases already hold it)</source>
        <translation>Không cần mang (cơ sở dữ liệu quốc gia đã có)</translation>
    </message>
    <message>
        <location filename="../../ui/screens/requirements.py" line="68"/>
        <source>(only in some cases)</source>
        <translation>(chỉ cần trong một số trường hợp)</translation>
    </message>
    <message>
        <location filename="../../ui/screens/requirements.py" line="80"/>
        <source>What you need</source>
        <translation>Giấy tờ cần chuẩn bị</translation>
    </message>
    <message>
        <location filename="../../ui/screens/requirements.py" line="81"/>
        <source>Read the list below. Papers you must bring are listed first. Then tap “Continue”.</source>
        <translation>Ông/bà xem danh sách dưới đây. Giấy tờ cần mang theo được ghi trước. Sau đó chạm “Tiếp tục”.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/requirements.py" line="83"/>
        <source>Continue  ›</source>
        <translation>Tiếp tục  ›</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <location filename="../../ui/screens/review.py" line="83"/>
        <source>Service</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <location filename="../../ui/screens/review.py" line="84"/>
        <source>Handled by</source>
        <translation>Cơ quan giải quyết</translation>
    </message>
    <message>
        <location filename="../../ui/screens/review.py" line="85"/>
        <source>Fee</source>
        <translation>Lệ phí</translation>
    </message>
    <message>
        <location filename="../../ui/screens/review.py" line="86"/>
        <source>Ready in</source>
        <translation>Thời hạn giải quyết</translation>
    </message>
    <message>
        <location filename="../../ui/screens/review.py" line="89"/>
        <source>Please bring to the counter</source>
        <translation>Vui lòng mang đến quầy</translation>
    </message>
    <message>
        <location filename="../../ui/screens/review.py" line="108"/>
        <source>Please check your application</source>
        <translation>Vui lòng kiểm tra lại hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/screens/review.py" line="109"/>
        <source>If something is wrong, tap “Change answers”. Nothing is sent until you agree on the next screen.</source>
        <translation>Nếu có gì chưa đúng, ông/bà vui lòng bấm “Sửa lại”. Hồ sơ chỉ được gửi khi ông/bà đồng ý ở bước tiếp theo.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/review.py" line="113"/>
        <source>Continue  ›</source>
        <translation>Tiếp tục  ›</translation>
    </message>
    <message>
        <location filename="../../ui/screens/review.py" line="111"/>
        <source>‹  Change answers</source>
        <translation>‹  Sửa lại</translation>
    </message>
</context>
<context>
    <name>ScanScreen</name>
    <message>
        <location filename="../../ui/screens/scan.py" line="125"/>
        <source>Show the QR code on your receipt</source>
        <extracomment>the view closes by itself: &quot;timeout&quot;, or the citizen pressed Back: &quot;back&quot;</extracomment>
        <translation>Đưa mã QR trên phiếu hẹn trước camera</translation>
    </message>
    <message>
        <location filename="../../ui/screens/scan.py" line="127"/>
        <source>Show the QR code on your ID card</source>
        <translation>Đưa mã QR trên thẻ căn cước trước camera</translation>
    </message>
    <message>
        <location filename="../../ui/screens/scan.py" line="129"/>
        <source>Show the code to the scanner, or hold it inside the white frame, about a hand&apos;s width from the camera.</source>
        <translation>Đưa mã vào máy quét, hoặc giữ mã trong khung trắng, cách camera khoảng một bàn tay.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/scan.py" line="132"/>
        <source>Hold it inside the white frame, about a hand&apos;s width from the camera.</source>
        <translation>Giữ mã trong khung trắng, cách camera khoảng một bàn tay.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/scan.py" line="145"/>
        <source>Going back in {n} seconds.</source>
        <translation>Tự quay lại sau {n} giây.</translation>
    </message>
</context>
<context>
    <name>Screen</name>
    <message>
        <location filename="../../ui/screens/base.py" line="88"/>
        <source>‹  Back</source>
        <extracomment>shown on the footer&apos;s primary button; None hides it the body scrolls as a whole when it needs more room than the screen has (large text); a screen whose body is one scrolling list of its own says False</extracomment>
        <translation>‹  Quay lại</translation>
    </message>
    <message>
        <location filename="../../ui/screens/base.py" line="89"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/screens/base.py" line="103"/>
        <source>Step {n} of {total}</source>
        <translation>Bước {n}/{total}</translation>
    </message>
</context>
<context>
    <name>StaffDashboard</name>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="220"/>
        <source>Signed in as {staff}</source>
        <extracomment>a procedure&apos;s name for its code (staff read names, not codes): ``set_procedure_names``</extracomment>
        <translation>Đã đăng nhập: {staff}</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="222"/>
        <source>Stop assisting</source>
        <translation>Dừng hỗ trợ</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="224"/>
        <source>Assist a citizen</source>
        <translation>Hỗ trợ người dân</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="234"/>
        <source>sending normally</source>
        <translation>đang gửi bình thường</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="235"/>
        <source>paused: the portal keeps failing</source>
        <translation>tạm dừng: Cổng dịch vụ công liên tục lỗi</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="236"/>
        <source>testing the portal</source>
        <translation>đang thử kết nối Cổng dịch vụ công</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="240"/>
        <source>no reader found</source>
        <translation>không tìm thấy đầu đọc</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="241"/>
        <location filename="../../ui/staff/dashboard.py" line="269"/>
        <source>unknown</source>
        <translation>không rõ</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="242"/>
        <source>yes</source>
        <translation>có</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="242"/>
        <source>no</source>
        <translation>không</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="243"/>
        <location filename="../../ui/staff/dashboard.py" line="265"/>
        <source>not installed</source>
        <translation>chưa cài đặt</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="243"/>
        <source>working</source>
        <translation>đang hoạt động</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="244"/>
        <source>not working</source>
        <translation>không hoạt động</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="288"/>
        <source>no printer configured (receipts are saved as PDF)</source>
        <translation>chưa cài đặt máy in (phiếu hẹn được lưu thành tệp PDF)</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="248"/>
        <location filename="../../ui/staff/dashboard.py" line="257"/>
        <source>none yet</source>
        <translation>chưa có</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="223"/>
        <source>Help this citizen</source>
        <translation>Hỗ trợ người dân này</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="254"/>
        <source>not recorded on this kiosk</source>
        <translation>ki-ốt này không ghi nhận</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="258"/>
        <source>{n} ratings: very satisfied {good}, satisfied {fair}, not satisfied {bad}</source>
        <translation>{n} lượt: rất hài lòng {good}, hài lòng {fair}, chưa hài lòng {bad}</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="267"/>
        <source>{name} · connected</source>
        <translation>{name} · đã kết nối</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="268"/>
        <source>{name} · not connected ({why})</source>
        <translation>{name} · chưa kết nối ({why})</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="273"/>
        <source>ready</source>
        <translation>sẵn sàng</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="273"/>
        <source>paper running low</source>
        <translation>sắp hết giấy</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="274"/>
        <source>OUT OF PAPER (receipts are saved as PDF)</source>
        <translation>HẾT GIẤY (phiếu được lưu thành PDF)</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="275"/>
        <source>COVER OPEN (receipts are saved as PDF)</source>
        <translation>NẮP ĐANG MỞ (phiếu được lưu thành PDF)</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="276"/>
        <source>cutter jammed</source>
        <translation>dao cắt bị kẹt</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="276"/>
        <source>reports an error</source>
        <translation>báo lỗi</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="277"/>
        <source>offline (receipts are saved as PDF)</source>
        <translation>ngoại tuyến (phiếu được lưu thành PDF)</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="278"/>
        <source>does not report its state</source>
        <translation>không báo trạng thái</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="279"/>
        <source>not found (receipts are saved as PDF)</source>
        <translation>không tìm thấy (phiếu được lưu thành PDF)</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="289"/>
        <source>{name} · ready</source>
        <translation>{name} · sẵn sàng</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="290"/>
        <source>{name} · reports a problem (receipts are saved as PDF)</source>
        <translation>{name} · đang báo lỗi (phiếu hẹn được lưu thành tệp PDF)</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="291"/>
        <source>{name} · not installed (receipts are saved as PDF)</source>
        <translation>{name} · chưa được cài đặt (phiếu hẹn được lưu thành tệp PDF)</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="292"/>
        <source>{name} · checking…</source>
        <translation>{name} · đang kiểm tra…</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="299"/>
        <source>the portal address looks wrong (answers are not from the portal): tell IT; nothing is lost, sending resumes by itself</source>
        <translation>địa chỉ Cổng dịch vụ công có vẻ sai (câu trả lời không đến từ Cổng): báo bộ phận kỹ thuật; không mất hồ sơ nào, việc gửi sẽ tự tiếp tục</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="302"/>
        <source>the portal refuses this kiosk&apos;s credential: tell IT; nothing is lost</source>
        <translation>Cổng dịch vụ công từ chối chứng danh của ki-ốt này: báo bộ phận kỹ thuật; không mất hồ sơ nào</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="305"/>
        <source>the kiosk&apos;s portal settings are wrong: tell IT</source>
        <translation>cấu hình Cổng dịch vụ công của ki-ốt bị sai: báo bộ phận kỹ thuật</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="307"/>
        <source>{n} not moving for a long time: {refs}</source>
        <translation>{n} hồ sơ đứng yên đã lâu: {refs}</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="310"/>
        <source>{n} lost with a damaged outbox (listed below)</source>
        <translation>{n} hồ sơ bị mất do hộp chờ gửi bị hỏng (xem bên dưới)</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="312"/>
        <source>none</source>
        <translation>không có</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="317"/>
        <source>not checked yet</source>
        <translation>chưa kiểm tra</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="319"/>
        <source>reachable · {ms} ms</source>
        <translation>kết nối được · {ms} ms</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="320"/>
        <source>unreachable</source>
        <translation>không kết nối được</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="329"/>
        <source>Nothing needs attention.</source>
        <translation>Không có hồ sơ nào cần xử lý.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="333"/>
        <source>{ref} · {procedure} · lost with a damaged outbox: ask the citizen to apply again (IT: `kiosk outbox lost`)</source>
        <translation>{ref} · {procedure} · bị mất do hộp chờ gửi bị hỏng: mời người dân nộp lại (bộ phận kỹ thuật: `kiosk outbox lost`)</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="344"/>
        <source>Retry</source>
        <translation>Thử lại</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="347"/>
        <source>Export for manual entry</source>
        <translation>Xuất để nhập thủ công</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="358"/>
        <source>waiting</source>
        <translation>đang chờ</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="358"/>
        <source>sending</source>
        <translation>đang gửi</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="359"/>
        <source>will retry</source>
        <translation>sẽ thử lại</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="360"/>
        <source>needs attention</source>
        <translation>cần xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="360"/>
        <source>sent</source>
        <translation>đã gửi</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="363"/>
        <source>Staff dashboard</source>
        <translation>Bảng điều khiển cán bộ</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="364"/>
        <source>Applications that need attention</source>
        <translation>Hồ sơ cần xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="365"/>
        <source>Retry all</source>
        <translation>Gửi lại tất cả</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="366"/>
        <source>Applications</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="366"/>
        <source>Oldest waiting</source>
        <translation>Chờ lâu nhất</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="367"/>
        <source>Sending</source>
        <translation>Gửi hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="367"/>
        <source>Problems</source>
        <translation>Sự cố</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="368"/>
        <source>Portal</source>
        <translation>Cổng dịch vụ công</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="369"/>
        <source>Card reader</source>
        <translation>Đầu đọc thẻ</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="369"/>
        <source>Card in the reader</source>
        <translation>Thẻ trong đầu đọc</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="370"/>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="370"/>
        <source>Barcode scanner</source>
        <translation>Máy quét mã vạch</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="371"/>
        <source>Printer</source>
        <translation>Máy in</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="372"/>
        <source>Today by procedure</source>
        <translation>Hôm nay theo thủ tục</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="373"/>
        <source>Satisfaction today</source>
        <translation>Hài lòng hôm nay</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="376"/>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="377"/>
        <source>Back to the kiosk</source>
        <translation>Quay lại ki-ốt</translation>
    </message>
    <message>
        <location filename="../../ui/staff/dashboard.py" line="378"/>
        <source>Sign out</source>
        <translation>Đăng xuất</translation>
    </message>
</context>
<context>
    <name>StaffHints</name>
    <message>
        <location filename="../../ui/staff/hints.py" line="211"/>
        <source>Staff hints · {step}</source>
        <extracomment>the card&apos;s largest share of the window&apos;s width and height (taller text scrolls inside it) the pill&apos;s own look on top of the theme&apos;s toggle button: a dashed, rounded &quot;staff&quot; pill, 48 px tall (36 + padding + border), with no colour of its own so every theme (contrast too) keeps its checked colours for &quot;open&quot;</extracomment>
        <translation>Gợi ý cho cán bộ · {step}</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="213"/>
        <source>Staff hints ({n})</source>
        <translation>Gợi ý cho cán bộ ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="222"/>
        <source>Start</source>
        <translation>Bắt đầu</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="222"/>
        <source>Identify</source>
        <translation>Nhận diện</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="223"/>
        <source>Choose a service</source>
        <translation>Chọn thủ tục</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="223"/>
        <source>Documents</source>
        <translation>Giấy tờ</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="224"/>
        <source>Form</source>
        <translation>Tờ khai</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="224"/>
        <source>Review</source>
        <translation>Kiểm tra</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="225"/>
        <source>Consent</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="225"/>
        <source>Sending</source>
        <translation>Đang gửi</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="226"/>
        <source>Receipt</source>
        <translation>Phiếu hẹn</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="236"/>
        <source>Ask the citizen to put their ID card on the reader, or tap Start together. These hints follow each step and only staff see them.</source>
        <translation>Mời người dân đặt thẻ căn cước lên đầu đọc, hoặc cùng bấm Bắt đầu. Gợi ý này theo từng bước và chỉ hiện khi cán bộ hỗ trợ.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="241"/>
        <source>Lay the card flat on the reader until the details appear (a few seconds).</source>
        <translation>Đặt thẻ nằm phẳng trên đầu đọc đến khi thông tin hiện ra (vài giây).</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="242"/>
        <source>Asked for the ID number? Type the 12 digits on the front of the card (the chip&apos;s access number, CAN, is its last 6), or scan the card&apos;s QR code.</source>
        <translation>Ki-ốt hỏi số định danh? Nhập 12 số ở mặt trước thẻ (mã truy cập chip, CAN, là 6 số cuối), hoặc quét mã QR trên thẻ.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="244"/>
        <source>Green “Verified by chip”: a genuine chip. Amber: read, issuer not checked (IT: CSCA certificates); compare the card by eye. Red: security check failed; check the card by eye, the citizen can type their details instead.</source>
        <translation>Xanh “Đã xác thực bằng chip”: chip thật. Vàng: đã đọc nhưng chưa kiểm tra được nơi cấp (kỹ thuật: chứng thư CSCA); hãy đối chiếu thẻ bằng mắt. Đỏ: chip không qua kiểm tra an ninh; hãy kiểm tra thẻ bằng mắt, người dân có thể tự nhập thông tin thay thế.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="247"/>
        <source>Let the citizen confirm the details are theirs.</source>
        <translation>Để người dân tự xác nhận thông tin là của mình.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="252"/>
        <source>Let the citizen say which service they need, then tap its tile.</source>
        <translation>Để người dân nói thủ tục cần làm, rồi bấm vào ô của thủ tục đó.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="253"/>
        <source>Search ignores accents: “ly lich tu phap” finds “Lý lịch tư pháp”. A procedure code works too.</source>
        <translation>Tìm kiếm không cần dấu: gõ “ly lich tu phap” sẽ ra “Lý lịch tư pháp”. Gõ mã thủ tục cũng được.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="261"/>
        <source>Fee: {fee} · ready in {time}.</source>
        <translation>Lệ phí: {fee} · có kết quả sau {time}.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="265"/>
        <source>The citizen must still bring or photograph {n} document(s): {names}.</source>
        <translation>Người dân còn phải mang hoặc chụp {n} giấy tờ: {names}.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="268"/>
        <source>The citizen does not need to bring any document for this service.</source>
        <translation>Thủ tục này người dân không cần mang giấy tờ nào.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="272"/>
        <source>The national databases already hold: {names}. Do not ask for them.</source>
        <translation>Cơ sở dữ liệu quốc gia đã có: {names}. Không yêu cầu người dân mang.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="281"/>
        <source>(only in some cases)</source>
        <translation>(chỉ cần trong một số trường hợp)</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="292"/>
        <source>Filled in from the card: {fields}. Check them with the citizen.</source>
        <translation>Đã điền sẵn từ thẻ: {fields}. Hãy cùng người dân kiểm tra.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="295"/>
        <source>Nothing was filled in from a card: help the citizen type every field.</source>
        <translation>Không có thông tin nào điền sẵn từ thẻ: hãy giúp người dân nhập từng ô.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="300"/>
        <source>“{field}”: the old address on the card could not be matched for certain to a current commune. Ask the citizen where they live now and choose it with them.</source>
        <translation>“{field}”: địa chỉ cũ trên thẻ chưa đối chiếu chắc chắn được với xã/phường hiện nay. Hãy hỏi người dân đang sống ở đâu và cùng chọn.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="307"/>
        <source>Photograph with the kiosk camera: {fields}.</source>
        <translation>Chụp bằng camera của ki-ốt: {fields}.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="309"/>
        <source>A USB keyboard types in any field, with accents in text fields: Telex (“Nguyeenx” gives “Nguyễn”), or VNI when chosen on the on-screen keyboard.</source>
        <translation>Bàn phím USB gõ được vào mọi ô, có dấu ở các ô chữ: kiểu Telex (“Nguyeenx” thành “Nguyễn”), hoặc kiểu VNI nếu chọn trên bàn phím màn hình.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="322"/>
        <source>Read each answer with the citizen. To correct one, go back to the form. Nothing has been sent yet.</source>
        <translation>Cùng người dân đọc lại từng câu trả lời. Muốn sửa thì quay lại tờ khai. Hồ sơ chưa được gửi.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="326"/>
        <source>The citizen must answer the consent question personally (Law on Personal Data Protection 91/2025/QH15, Decree 356/2025/NĐ-CP). Explain it if asked, but do not press the answer for them.</source>
        <translation>Người dân phải tự trả lời câu hỏi đồng ý (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15, Nghị định 356/2025/NĐ-CP). Giải thích nếu được hỏi, nhưng không bấm thay người dân.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="331"/>
        <source>Sending to the portal. If the network or the portal is down, the application is saved on this kiosk (queued) and sent automatically later, exactly once.</source>
        <translation>Đang gửi lên Cổng dịch vụ công. Nếu mất mạng hoặc Cổng không hoạt động, hồ sơ được lưu trên ki-ốt (đang chờ) và tự động gửi sau, đúng một lần.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="339"/>
        <source>Queued offline: the application is saved on this kiosk and will be sent by itself when the portal answers. Its reference starts with “Q-”.</source>
        <translation>Đang chờ gửi: hồ sơ đã lưu trên ki-ốt và sẽ tự gửi khi Cổng hoạt động lại. Mã tham chiếu bắt đầu bằng “Q-”.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="343"/>
        <source>The portal did not accept the application: it waits on this kiosk for staff.</source>
        <translation>Cổng không nhận hồ sơ: hồ sơ đang chờ cán bộ xử lý trên ki-ốt này.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="346"/>
        <source>Sent: the receipt shows the portal&apos;s dossier code. Give the citizen the printed receipt.</source>
        <translation>Đã gửi: phiếu hẹn có mã hồ sơ của Cổng. Hãy đưa phiếu hẹn đã in cho người dân.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="348"/>
        <source>Follow it on the staff dashboard (Applications: waiting, sent). Under “Applications that need attention”, use Retry or Export for manual entry.</source>
        <translation>Theo dõi trên bảng điều khiển cán bộ (Hồ sơ: đang chờ, đã gửi). Ở mục “Hồ sơ cần xử lý”, dùng Thử lại hoặc Xuất để nhập thủ công.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/hints.py" line="353"/>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>StaffMode</name>
    <message>
        <location filename="../../ui/staff/mode.py" line="169"/>
        <source>A citizen called for help at {time} (step: {step}). “Help this citizen” takes over in assisted mode.</source>
        <translation>Người dân gọi hỗ trợ lúc {time} (bước: {step}). Bấm “Hỗ trợ người dân này” để hỗ trợ trực tiếp.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/mode.py" line="248"/>
        <source>This application was assisted by staff member {staff}.</source>
        <translation>Hồ sơ này được cán bộ {staff} hỗ trợ.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/mode.py" line="264"/>
        <source>Assisted by {staff}</source>
        <translation>Cán bộ hỗ trợ: {staff}</translation>
    </message>
    <message>
        <location filename="../../ui/staff/mode.py" line="289"/>
        <source>The outbox cannot be read right now. IT: run `kiosk doctor`.</source>
        <translation>Hiện không đọc được hàng đợi gửi. Bộ phận kỹ thuật: chạy `kiosk doctor`.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/mode.py" line="352"/>
        <source>That could not be done: {reason}</source>
        <translation>Không thực hiện được: {reason}</translation>
    </message>
</context>
<context>
    <name>StaffSignInPanel</name>
    <message>
        <location filename="../../ui/staff/signin.py" line="164"/>
        <source>Type your staff ID and your PIN.</source>
        <extracomment>a panel left open (staff called away) closes by itself, so citizens never face it</extracomment>
        <translation>Nhập mã cán bộ và mã PIN.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/signin.py" line="168"/>
        <source>Checking…</source>
        <translation>Đang kiểm tra…</translation>
    </message>
    <message>
        <location filename="../../ui/staff/signin.py" line="188"/>
        <source>Staff accounts cannot be checked right now. Please ask IT to run `kiosk doctor`.</source>
        <translation>Hiện chưa kiểm tra được tài khoản cán bộ. Vui lòng nhờ bộ phận kỹ thuật chạy `kiosk doctor`.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/signin.py" line="184"/>
        <source>Wrong staff ID or PIN, or the account is locked for a while. Try again later, or ask IT.</source>
        <translation>Mã cán bộ hoặc mã PIN không đúng, hoặc tài khoản đang tạm khóa. Vui lòng thử lại sau, hoặc nhờ bộ phận kỹ thuật.</translation>
    </message>
    <message>
        <location filename="../../ui/staff/signin.py" line="197"/>
        <source>Staff sign-in</source>
        <translation>Đăng nhập cán bộ</translation>
    </message>
    <message>
        <location filename="../../ui/staff/signin.py" line="198"/>
        <source>Staff ID</source>
        <translation>Mã cán bộ</translation>
    </message>
    <message>
        <location filename="../../ui/staff/signin.py" line="199"/>
        <source>PIN</source>
        <translation>Mã PIN</translation>
    </message>
    <message>
        <location filename="../../ui/staff/signin.py" line="200"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/staff/signin.py" line="201"/>
        <source>Sign in</source>
        <translation>Đăng nhập</translation>
    </message>
</context>
<context>
    <name>StatusScreen</name>
    <message>
        <location filename="../../ui/screens/status.py" line="162"/>
        <source>Check an application</source>
        <translation>Tra cứu hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/screens/status.py" line="163"/>
        <source>Type the code on your receipt, or show its QR code to the camera.</source>
        <translation>Nhập mã trên phiếu hẹn của ông/bà, hoặc đưa mã QR trên phiếu trước camera.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/status.py" line="165"/>
        <source>Application code</source>
        <translation>Mã hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/screens/status.py" line="167"/>
        <source>It is printed under the QR code, for example H12.22.10-250101-0123 or Q-250101-0123.</source>
        <translation>Mã được in dưới mã QR, ví dụ H12.22.10-250101-0123 hoặc Q-250101-0123.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/status.py" line="169"/>
        <source>Scan the QR code</source>
        <translation>Quét mã QR</translation>
    </message>
    <message>
        <location filename="../../ui/screens/status.py" line="170"/>
        <source>Check  ›</source>
        <translation>Tra cứu  ›</translation>
    </message>
    <message>
        <location filename="../../ui/screens/status.py" line="176"/>
        <source>received, waiting to be processed</source>
        <translation>đã tiếp nhận, đang chờ xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/screens/status.py" line="177"/>
        <source>being processed</source>
        <translation>đang được xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/screens/status.py" line="178"/>
        <source>finished: the result is ready</source>
        <translation>đã xong, có thể nhận kết quả</translation>
    </message>
    <message>
        <location filename="../../ui/screens/status.py" line="179"/>
        <source>returned: please see the staff</source>
        <translation>bị trả lại, vui lòng gặp cán bộ</translation>
    </message>
    <message>
        <location filename="../../ui/screens/status.py" line="186"/>
        <source>The government portal has your application</source>
        <translation>Cổng dịch vụ công đã nhận hồ sơ của ông/bà</translation>
    </message>
    <message>
        <location filename="../../ui/screens/status.py" line="188"/>
        <source>Status: {status}.</source>
        <translation>Tình trạng: {status}.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/status.py" line="191"/>
        <source>Saved on this kiosk, not sent yet</source>
        <translation>Đã lưu trên ki-ốt này, chưa gửi đi</translation>
    </message>
    <message>
        <location filename="../../ui/screens/status.py" line="193"/>
        <source>The connection to the portal was down when you applied. Your application is kept safely here and will be sent automatically; you do not need to do anything.</source>
        <translation>Khi ông/bà nộp hồ sơ, ki-ốt bị mất kết nối với Cổng dịch vụ công. Hồ sơ được lưu an toàn tại đây và sẽ tự động được gửi đi; ông/bà không cần làm gì thêm.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/status.py" line="198"/>
        <source>Your application needs a staff member</source>
        <translation>Hồ sơ của ông/bà cần cán bộ hỗ trợ</translation>
    </message>
    <message>
        <location filename="../../ui/screens/status.py" line="200"/>
        <source>Please see the staff at the counter and show them this code.</source>
        <translation>Vui lòng đến quầy gặp cán bộ và đưa mã này.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/status.py" line="204"/>
        <source>No application found with this code</source>
        <translation>Không tìm thấy hồ sơ có mã này</translation>
    </message>
    <message>
        <location filename="../../ui/screens/status.py" line="206"/>
        <source>Please check the code on your receipt. A code starting with Q- can only be checked on the kiosk that printed it.</source>
        <translation>Vui lòng kiểm tra lại mã trên phiếu hẹn. Mã bắt đầu bằng Q- chỉ tra cứu được trên đúng ki-ốt đã in phiếu.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/status.py" line="209"/>
        <source>The portal cannot be reached right now</source>
        <translation>Hiện chưa kết nối được với Cổng dịch vụ công</translation>
    </message>
    <message>
        <location filename="../../ui/screens/status.py" line="211"/>
        <source>Please try again in a few minutes, or ask the staff at the counter.</source>
        <translation>Vui lòng thử lại sau ít phút, hoặc hỏi cán bộ tại quầy.</translation>
    </message>
</context>
<context>
    <name>SubmittingScreen</name>
    <message>
        <location filename="../../ui/screens/receipt.py" line="87"/>
        <source>Sending your application…</source>
        <translation>Đang gửi hồ sơ…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="88"/>
        <source>This usually takes a few seconds.</source>
        <translation>Việc này thường mất vài giây.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="89"/>
        <source>Your application is already saved on this kiosk, so nothing will be lost.</source>
        <translation>Hồ sơ đã được lưu trên ki-ốt, nên sẽ không bị mất.</translation>
    </message>
</context>
<context>
    <name>TakeCardNotice</name>
    <message>
        <location filename="../../ui/widgets/take_card.py" line="53"/>
        <source>Please take your ID card</source>
        <translation>Vui lòng lấy thẻ căn cước</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/take_card.py" line="54"/>
        <source>Your card is still on the reader. Take it with you; the kiosk is then ready for the next person.</source>
        <translation>Thẻ căn cước của ông/bà vẫn còn trên đầu đọc. Ông/bà vui lòng cầm thẻ theo; sau đó ki-ốt sẵn sàng cho người tiếp theo.</translation>
    </message>
</context>
<context>
    <name>Texts</name>
    <message>
        <location filename="../../ui/texts.py" line="37"/>
        <source>Free of charge</source>
        <translation>Miễn phí</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="43"/>
        <source>1 working day</source>
        <translation>1 ngày làm việc</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="44"/>
        <source>{n} working days</source>
        <translation>{n} ngày làm việc</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="51"/>
        <source>Civil status</source>
        <translation>Hộ tịch</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="52"/>
        <source>Justice</source>
        <translation>Tư pháp</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="53"/>
        <source>Transport</source>
        <translation>Giao thông</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="54"/>
        <source>Residence</source>
        <translation>Cư trú</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="55"/>
        <source>Business</source>
        <translation>Kinh doanh</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="56"/>
        <source>Land and housing</source>
        <translation>Đất đai, nhà ở</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="57"/>
        <source>Social welfare</source>
        <translation>Chính sách xã hội</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="58"/>
        <source>Certification</source>
        <translation>Chứng thực</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="59"/>
        <source>Health insurance</source>
        <translation>Bảo hiểm y tế</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="66"/>
        <source>The ID number must have exactly 12 digits.</source>
        <translation>Số định danh phải có đủ 12 chữ số.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="68"/>
        <source>The first three digits are not a province code. Please check the number.</source>
        <translation>Ba số đầu không phải mã tỉnh. Vui lòng kiểm tra lại số.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="70"/>
        <source>The ID number does not match the date of birth. Please check it.</source>
        <translation>Số định danh không khớp với ngày sinh. Vui lòng kiểm tra lại.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="72"/>
        <source>The ID number does not match the year of birth. Please check it.</source>
        <translation>Số định danh không khớp với năm sinh. Vui lòng kiểm tra lại.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="74"/>
        <source>The ID number does not match the sex. Please check it.</source>
        <translation>Số định danh không khớp với giới tính. Vui lòng kiểm tra lại.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="82"/>
        <source>Please enter a value between {min} and {max}.</source>
        <translation>Vui lòng nhập từ {min} đến {max}.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="85"/>
        <source>Please enter {min} or more.</source>
        <translation>Vui lòng nhập từ {min} trở lên.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="86"/>
        <source>Please enter {max} or less.</source>
        <translation>Vui lòng nhập không quá {max}.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="93"/>
        <source>Please enter a date between {min} and {max}.</source>
        <translation>Vui lòng nhập ngày từ {min} đến {max}.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="96"/>
        <source>Please enter a date on or after {min}.</source>
        <translation>Vui lòng nhập ngày từ {min} trở về sau.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="98"/>
        <source>Please enter a date on or before {max}.</source>
        <translation>Vui lòng nhập ngày không muộn hơn {max}.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="110"/>
        <source>This is too long: please use at most {max} characters.</source>
        <translation>Nội dung quá dài: vui lòng nhập không quá {max} ký tự.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="122"/>
        <source>Please fill this in.</source>
        <translation>Vui lòng điền mục này.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="123"/>
        <source>Please enter a number, using digits only.</source>
        <translation>Vui lòng chỉ nhập chữ số.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="125"/>
        <source>Please enter a 10-digit mobile number, for example 0912345678.</source>
        <translation>Vui lòng nhập số di động 10 chữ số, ví dụ 0912345678.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="127"/>
        <source>Please enter an email address like name@example.com.</source>
        <translation>Vui lòng nhập địa chỉ thư điện tử, ví dụ ten@example.com.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="129"/>
        <source>Please enter the date as day/month/year, for example 14/03/1995.</source>
        <translation>Vui lòng nhập ngày theo dạng ngày/tháng/năm, ví dụ 14/03/1995.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="131"/>
        <source>Please choose one option.</source>
        <translation>Vui lòng chọn một mục.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="132"/>
        <source>This does not match your ID number. Please check it against your card.</source>
        <translation>Thông tin này không khớp với số định danh. Vui lòng đối chiếu với thẻ căn cước.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="134"/>
        <source>Please choose the province or city, then the commune or ward.</source>
        <translation>Vui lòng chọn tỉnh hoặc thành phố, rồi chọn xã hoặc phường.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="136"/>
        <source>The document photo is missing. Please take the photo again or ask staff.</source>
        <translation>Chưa có ảnh giấy tờ. Vui lòng chụp lại hoặc hỏi cán bộ.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="139"/>
        <source>Please check this answer.</source>
        <translation>Vui lòng kiểm tra lại mục này.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="146"/>
        <source>(not given)</source>
        <translation>(không điền)</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="149"/>
        <source>Photo missing: please take it again</source>
        <translation>Chưa có ảnh: vui lòng chụp lại</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="151"/>
        <source>Photo taken (1 page)</source>
        <translation>Đã chụp ảnh (1 trang)</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="152"/>
        <source>Photo taken ({n} pages)</source>
        <translation>Đã chụp ảnh ({n} trang)</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="159"/>
        <source>Yes</source>
        <translation>Có</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="160"/>
        <source>No</source>
        <translation>Không</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="182"/>
        <source>The card did not accept this ID number. Please check the 12 digits on your card and type them again, or take the card off the reader and continue by typing.</source>
        <translation>Thẻ không nhận số định danh này. Vui lòng đối chiếu 12 chữ số trên thẻ và nhập lại, hoặc nhấc thẻ khỏi đầu đọc để tiếp tục bằng cách tự nhập.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="187"/>
        <source>The card reader is not working. Please type your ID number or ask staff.</source>
        <translation>Đầu đọc thẻ đang không hoạt động. Vui lòng nhập số định danh hoặc hỏi cán bộ.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="189"/>
        <source>Please place your ID card flat on the reader, chip side up.</source>
        <translation>Vui lòng đặt thẻ căn cước nằm phẳng trên đầu đọc, mặt có chip hướng lên.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="191"/>
        <source>The card was moved before reading finished. Please put it back and leave it on the reader until the screen says it is done.</source>
        <translation>Thẻ bị dịch chuyển khi chưa đọc xong. Vui lòng đặt lại thẻ và để yên cho đến khi màn hình báo đã xong.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="194"/>
        <source>The card could not be opened. Please ask a staff member for help.</source>
        <translation>Không mở được thẻ. Vui lòng nhờ cán bộ hỗ trợ.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="196"/>
        <source>The connection to the chip was interrupted. Please leave the card on the reader and try again.</source>
        <translation>Kết nối với chip bị gián đoạn. Vui lòng để thẻ trên đầu đọc và thử lại.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="199"/>
        <source>The chip&apos;s data cannot be read. Please type your ID number or ask staff.</source>
        <translation>Không đọc được dữ liệu trong chip. Vui lòng nhập số định danh hoặc hỏi cán bộ.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="201"/>
        <source>The card&apos;s data could not be verified. Please ask a staff member for help.</source>
        <translation>Không xác thực được dữ liệu của thẻ. Vui lòng nhờ cán bộ hỗ trợ.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="203"/>
        <source>Reading the card took too long. Please keep the card still and try again.</source>
        <translation>Đọc thẻ quá lâu. Vui lòng giữ yên thẻ và thử lại.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="205"/>
        <source>This reader cannot read the chip. Please type your ID number instead.</source>
        <translation>Đầu đọc này không đọc được chip. Vui lòng nhập số định danh.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="208"/>
        <source>The card could not be read. Please try again or ask a staff member.</source>
        <translation>Không đọc được thẻ. Vui lòng thử lại hoặc nhờ cán bộ hỗ trợ.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="215"/>
        <location filename="../../ui/texts.py" line="218"/>
        <location filename="../../ui/texts.py" line="221"/>
        <source>This QR code is not from a citizen ID card. Please show the QR code on the back of your ID card.</source>
        <translation>Mã QR này không phải của thẻ căn cước. Vui lòng đưa mã QR trên thẻ căn cước của ông/bà.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="224"/>
        <source>The QR code could not be read completely. Please hold the card still in front of the camera.</source>
        <translation>Chưa đọc được đầy đủ mã QR. Vui lòng giữ yên thẻ trước camera.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="227"/>
        <source>The details in this QR code do not match each other. Please ask a staff member for help.</source>
        <translation>Thông tin trong mã QR này không khớp với nhau. Vui lòng nhờ cán bộ hỗ trợ.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="230"/>
        <source>The scanner lost the Vietnamese letters of your card&apos;s code. Please check the ID number below and continue, or put your card on the reader.</source>
        <translation>Máy quét đã làm mất dấu tiếng Việt trong mã trên thẻ của ông/bà. Vui lòng kiểm tra số định danh bên dưới rồi tiếp tục, hoặc đặt thẻ lên đầu đọc.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="234"/>
        <source>This QR code cannot be used. Please type your ID number instead.</source>
        <translation>Không dùng được mã QR này. Vui lòng nhập số định danh.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="241"/>
        <source>This receipt code could not be read correctly. Please hold the receipt still, or type the code printed under it.</source>
        <translation>Chưa đọc đúng được mã trên phiếu hẹn. Vui lòng giữ yên phiếu, hoặc nhập mã in bên dưới mã QR.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="244"/>
        <source>This is not the QR code of a receipt from this centre. Please show the QR code printed on your receipt, or type its code.</source>
        <translation>Đây không phải mã QR trên phiếu hẹn của trung tâm. Vui lòng đưa mã QR in trên phiếu hẹn, hoặc nhập mã hồ sơ.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="252"/>
        <source>Reading the portrait photo…</source>
        <translation>Đang đọc ảnh chân dung…</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="254"/>
        <source>Reading your personal details…</source>
        <translation>Đang đọc thông tin cá nhân…</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="256"/>
        <source>Checking that the card is genuine…</source>
        <translation>Đang kiểm tra thẻ có phải thẻ thật không…</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="257"/>
        <source>Opening the card…</source>
        <translation>Đang mở thẻ…</translation>
    </message>
</context>
<context>
    <name>TouchScrollArea</name>
    <message>
        <location filename="../../ui/widgets/scrolling.py" line="95"/>
        <source>More below</source>
        <translation>Xem thêm bên dưới</translation>
    </message>
</context>
<context>
    <name>WelcomeScreen</name>
    <message>
        <location filename="../../ui/screens/welcome.py" line="59"/>
        <source>Welcome</source>
        <extracomment>the citizen wants to check an application they made before (the status screen)</extracomment>
        <translation>Xin kính chào</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="60"/>
        <source>Submit an application to the government here, by yourself, in a few minutes.</source>
        <translation>Tại đây, ông/bà có thể tự nộp hồ sơ thủ tục hành chính chỉ trong vài phút.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="64"/>
        <source>Show your ID card</source>
        <translation>Xuất trình thẻ căn cước</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="65"/>
        <source>Put your citizen ID card on the reader, or type its number.</source>
        <translation>Đặt thẻ căn cước lên đầu đọc, hoặc nhập số định danh.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="66"/>
        <source>Choose and fill in</source>
        <translation>Chọn thủ tục và điền thông tin</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="67"/>
        <source>Pick the service you need. Your details are filled in for you.</source>
        <translation>Chọn thủ tục cần làm. Thông tin cá nhân được điền sẵn.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="68"/>
        <source>Check and send</source>
        <translation>Kiểm tra và gửi</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="69"/>
        <source>Check everything, send it, and keep your application code.</source>
        <translation>Kiểm tra lại, gửi hồ sơ và giữ mã hồ sơ để theo dõi.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="74"/>
        <source>You can also simply put your ID card on the reader to begin.</source>
        <translation>Ông/bà cũng có thể đặt ngay thẻ căn cước lên đầu đọc để bắt đầu.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="76"/>
        <source>Start  ›</source>
        <translation>Bắt đầu  ›</translation>
    </message>
    <message>
        <location filename="../../ui/screens/welcome.py" line="77"/>
        <source>Check an application</source>
        <translation>Tra cứu hồ sơ</translation>
    </message>
</context>
</TS>
