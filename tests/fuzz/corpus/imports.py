import a.b.c as d, e
from ... import (x as y, z,)
from .m import *
