s = ['\x41\u00e9\U0001F600\N{GREEK SMALL LETTER ALPHA}', r'\d+', b'\x00\xff', u'u', 'a' 'b' "c", '''tri
ple''', Rb'raw']
