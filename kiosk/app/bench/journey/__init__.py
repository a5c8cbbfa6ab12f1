"""``kiosk bench journey``: a citizen's whole journey driven by taps on the real window.

``plan`` is the Qt-free half (the plan, the record of a run, medians, text); ``walk`` walks the
journey and ``driver`` is the finger (both Qt, imported only inside the command).
"""
