s = '\N{NOT A NAME}'
b = b'\u1234'
t = '\q'
bb = b'é'
