"""The session rules that protect citizens, as plain objects stepped by an injected clock.

The screens only feed them events (a touch, a card taken away or put back, an answer, a tick of a
one-second timer) and render what they decide; the rules are tested without Qt.

- ``countdown``: a spoken time limit (``Countdown``) and WCAG 2.2.1's 20 seconds to answer;
- ``idle``: a citizen who walked away (``Inactivity``) and the "more time?" question (``IdleQuestion``);
- ``card``: the ID card taken off the reader mid-session, and who may continue (``CardSessionPolicy``);
- ``identification``: chip, QR code or typed ID number, which one identifies (``choose_for_qr`` ...);
- the receipt's return to the start is a ``Countdown`` of ``receipt_return_s`` seconds.
"""
