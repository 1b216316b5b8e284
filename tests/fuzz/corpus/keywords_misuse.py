def = 1
class
return
import
from . import
