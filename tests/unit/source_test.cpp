// SourceBuffer: decoding as CPython decodes source files (BOM, PEP 263 declarations with any of
// Python's codecs, lazy UTF-8, NUL bytes), the line table, and encoding back for a lossless round trip.
#include <string>
#include <vector>

#include "catch.h"
#include "ivyc/source/source_buffer.h"

using ivyc::Diagnostic;
using ivyc::DiagnosticKind;
using ivyc::SourceBuffer;

namespace {

struct Decoded {
  std::optional<SourceBuffer> source;
  std::vector<Diagnostic> diags;
};

auto decode(std::string bytes) -> Decoded {
  Decoded d;
  d.source = SourceBuffer::from_bytes("t.py", std::move(bytes), d.diags);
  return d;
}

// The error of a file that does not decode.
auto decode_error(std::string bytes) -> Diagnostic {
  Decoded d = decode(std::move(bytes));
  REQUIRE_FALSE(d.source);
  REQUIRE(d.diags.size() == 1);
  return d.diags[0];
}

}  // namespace

TEST_CASE("utf-8 is the default and a BOM is removed", "[source]") {
  Decoded d = decode("x = 'é'\n");
  REQUIRE(d.source);
  CHECK(d.source->text() == "x = 'é'\n");
  CHECK(d.source->encoding() == "utf-8");
  CHECK_FALSE(d.source->has_bom());

  Decoded bom = decode("\xEF\xBB\xBFx = 1\n");
  REQUIRE(bom.source);
  CHECK(bom.source->text() == "x = 1\n");
  CHECK(bom.source->has_bom());
  CHECK(bom.source->encode(bom.source->text()) == "\xEF\xBB\xBFx = 1\n");
}

TEST_CASE("coding declarations on line 1 or 2 choose the encoding", "[source]") {
  Decoded d = decode("# -*- coding: latin-1 -*-\nx = '\xE9'\n");
  REQUIRE(d.source);
  CHECK(d.source->encoding() == "iso8859-1");
  CHECK(d.source->text() == "# -*- coding: latin-1 -*-\nx = '\xC3\xA9'\n");

  // Line 2, after a comment (the shebang) or a blank line.
  Decoded shebang = decode("#!/usr/bin/python\n# vim: set fileencoding=iso-8859-15 :\nx = '\xA4'\n");
  REQUIRE(shebang.source);
  CHECK(shebang.source->encoding() == "iso8859-15");
  CHECK(shebang.source->line_text(3) == "x = '\xE2\x82\xAC'");
  Decoded blank = decode("\n  # coding=l1\nx = '\xE9'\n");
  REQUIRE(blank.source);
  CHECK(blank.source->encoding() == "iso8859-1");

  // Not on line 2 after code, not on line 3, not after code on the same line: the file is UTF-8
  // and the byte stays, undecoded.
  for (const char* bytes : {"x = 1\n# coding: latin-1\nx = '\xE9'\n", "#\n#\n# coding: latin-1\nx = '\xE9'\n",
                            "x = 1  # coding: latin-1\n'\xE9'\n"}) {
    Decoded u = decode(bytes);
    REQUIRE(u.source);
    CHECK(u.source->encoding() == "utf-8");
    CHECK(u.source->invalid_utf8().size() == 1);
  }
}

TEST_CASE("codec names and aliases are Python's", "[source]") {
  auto encoding_of = [](const std::string& name) {
    Decoded d = decode("# coding: " + name + "\nx = 1\n");
    return d.source ? d.source->encoding() : "(error) " + d.diags.at(0).message;
  };
  for (const char* name : {"utf-8", "utf8", "UTF-8", "UTF8", "utf_8", "utf-8-sig", "u8", "cp65001"}) {
    CHECK(encoding_of(name) == "utf-8");
  }
  for (const char* name : {"latin-1", "latin1", "iso-8859-1", "iso8859-1", "ISO_8859-1", "l1",
                           "cp819", "latin_1_x", "iso-latin-1"}) {
    CHECK(encoding_of(name) == "iso8859-1");
  }
  for (const char* name : {"ascii", "us-ascii", "646", "ANSI_X3.4-1968"}) CHECK(encoding_of(name) == "ascii");
  for (const char* name : {"cp1252", "windows-1252", "1252"}) CHECK(encoding_of(name) == "cp1252");
  for (const char* name : {"iso-8859-15", "latin9", "l9"}) CHECK(encoding_of(name) == "iso8859-15");
  for (const char* name : {"koi8-r", "KOI8_R", "cskoi8r"}) CHECK(encoding_of(name) == "koi8-r");
  for (const char* name : {"iso-8859-5", "cyrillic", "iso_ir_144"}) CHECK(encoding_of(name) == "iso8859-5");
  for (const char* name : {"cp437", "437", "IBM437"}) CHECK(encoding_of(name) == "cp437");
  for (const char* name : {"mac-roman", "macroman", "macintosh"}) CHECK(encoding_of(name) == "mac-roman");
  for (const char* name : {"euc-kr", "EUC_KR", "ks_c-5601", "korean"}) CHECK(encoding_of(name) == "euc_kr");
  for (const char* name : {"cp949", "uhc", "ms949"}) CHECK(encoding_of(name) == "cp949");
  for (const char* name : {"gb2312", "chinese", "euc-cn"}) CHECK(encoding_of(name) == "gb2312");
  for (const char* name : {"gbk", "936", "cp936"}) CHECK(encoding_of(name) == "gbk");
  for (const char* name : {"gb18030", "gb18030-2000"}) CHECK(encoding_of(name) == "gb18030");
  for (const char* name : {"big5", "big5-tw", "csbig5"}) CHECK(encoding_of(name) == "big5");
  for (const char* name : {"shift_jis", "sjis", "s_jis"}) CHECK(encoding_of(name) == "shift_jis");
  for (const char* name : {"cp932", "ms932", "mskanji"}) CHECK(encoding_of(name) == "cp932");
  for (const char* name : {"euc_jp", "eucjp", "ujis"}) CHECK(encoding_of(name) == "euc_jp");
}

TEST_CASE("unknown, unsupported and failing encodings are errors", "[source]") {
  Diagnostic unknown = decode_error("# coding: foobar\nx = 1\n");
  CHECK(unknown.kind == DiagnosticKind::source_unknown_encoding);
  CHECK(unknown.message == "unknown encoding: foobar");
  // CPython says "utf8-sig" is unknown too (only utf-8-sig is a name); mbcs is Windows only.
  CHECK(decode_error("# coding: utf8-sig\n").message == "unknown encoding: utf8-sig");
  CHECK(decode_error("# coding: mbcs\n").message == "unknown encoding: mbcs");
  // Codecs Python has that ivyc cannot decode with.
  Diagnostic other = decode_error("# coding: utf-16\n");
  CHECK(other.kind == DiagnosticKind::source_unknown_encoding);
  CHECK(other.message.starts_with("unsupported encoding: utf-16"));
  CHECK(decode_error("# coding: iso2022_jp\n").message.starts_with("unsupported encoding: iso2022_jp"));
  // Codecs with which CPython always fails, in its words.
  CHECK(decode_error("# coding: Rot_13\n").message ==
        "'Rot_13' is not a text encoding; use codecs.decode() to handle arbitrary codecs");
  CHECK(decode_error("# coding: undefined\n").message ==
        "decoding with 'undefined' codec failed (UnicodeError: undefined encoding)");

  CHECK(decode_error("\xEF\xBB\xBF# coding: latin-1\n").message ==
        "encoding problem: iso-8859-1 with BOM");
  CHECK(decode_error("\xEF\xBB\xBF# coding: utf8\n").message == "encoding problem: utf8 with BOM");
  Decoded ok = decode("\xEF\xBB\xBF# coding: utf-8\nx = 1\n");
  CHECK(ok.source);
}

TEST_CASE("bytes that are not utf-8 stay in the text, listed", "[source]") {
  // CPython decodes such a file lazily: the front end decides which bytes are errors.
  Decoded d = decode("x = 1  # caf\xE9\ny = '\xC0\xAF'\n");
  REQUIRE(d.source);
  CHECK(d.source->text() == "x = 1  # caf\xE9\ny = '\xC0\xAF'\n");
  REQUIRE(d.source->invalid_utf8().size() == 3);
  CHECK(d.source->invalid_utf8()[0].begin == 12);
  CHECK(d.source->invalid_utf8()[0].length == 1);
  CHECK(d.source->invalid_utf8()[1].begin == 19);
  CHECK(d.source->invalid_utf8()[2].begin == 20);
  CHECK(d.source->line_count() == 3);
  CHECK(d.source->encode(d.source->text()) == d.source->original_bytes());
  // Sequences cut short count as one.
  Decoded cut = decode("# \xE2\x82\n# \xF0\x9F\x98!\n");
  REQUIRE(cut.source);
  REQUIRE(cut.source->invalid_utf8().size() == 2);
  CHECK(cut.source->invalid_utf8()[0].length == 2);
  CHECK(cut.source->invalid_utf8()[1].length == 3);
  // Valid 2, 3 and 4 byte sequences.
  CHECK(decode("'\xC2\xA0\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF'").source->invalid_utf8().empty());
}

TEST_CASE("invalid utf-8 is described as Python's codec describes it", "[source]") {
  using ivyc::describe_invalid_utf8;
  CHECK(describe_invalid_utf8("ab\xFF") == "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte");
  CHECK(describe_invalid_utf8("\xE9'") ==
        "'utf-8' codec can't decode byte 0xe9 in position 0: invalid continuation byte");
  CHECK(describe_invalid_utf8("x\xE2\x82") ==
        "'utf-8' codec can't decode bytes in position 1-2: unexpected end of data");
  CHECK(describe_invalid_utf8("\xE2\x82x") ==
        "'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte");
  // Surrogates, overlong forms and code points above U+10FFFF are invalid.
  CHECK(describe_invalid_utf8("\xED\xA0\x80") ==
        "'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte");
  CHECK(describe_invalid_utf8("\xC0\xAF") == "'utf-8' codec can't decode byte 0xc0 in position 0: invalid start byte");
  CHECK(describe_invalid_utf8("\xE0\x80\x80")->ends_with("invalid continuation byte"));
  CHECK(describe_invalid_utf8("\xF4\x90\x80\x80")->ends_with("invalid continuation byte"));
  CHECK(describe_invalid_utf8("\xF5\x80")->ends_with("invalid start byte"));
  CHECK_FALSE(describe_invalid_utf8("caf\xC3\xA9"));
}

TEST_CASE("a declared codec decodes the whole file, errors at the codec's position", "[source]") {
  // utf-8 by a name the tokenizer does not take for utf-8: strict, even in comments. Positions
  // count line ends as CPython does after making them \n.
  Diagnostic strict = decode_error("# coding: utf8\r\nx = 1  # \xFF\n");
  CHECK(strict.kind == DiagnosticKind::source_decode_error);
  CHECK(strict.message == "'utf-8' codec can't decode byte 0xff in position 24: invalid start byte (line 2)");
  CHECK(strict.begin == 25);
  Diagnostic ascii = decode_error("# coding: ascii\nx = '\xE9'\n");
  CHECK(ascii.kind == DiagnosticKind::source_decode_error);
  CHECK(ascii.message ==
        "'ascii' codec can't decode byte 0xe9 in position 21: ordinal not in range(128) (line 2)");
  CHECK(decode_error("# coding: cp1252\r\nx = '\x81'\n").message ==
        "'charmap' codec can't decode byte 0x81 in position 22: character maps to <undefined> "
        "(line 2)");
  CHECK(decode_error("# coding: euc-kr\nx = '\xFF'\n").message ==
        "'euc_kr' codec can't decode byte 0xff in position 22: illegal multibyte sequence (line 2)");
  CHECK(decode_error("# coding: euc-kr\nx = '\xA4\xD4'\n").message ==
        "'euc_kr' codec can't decode bytes in position 22-25: incomplete multibyte sequence (line 2)");
}

TEST_CASE("single-byte and multibyte codecs decode as Python's", "[source]") {
  auto line2 = [](const std::string& codec, const std::string& bytes) -> std::string {
    Decoded d = decode("# coding: " + codec + "\n" + bytes + "\n");
    if (!d.source) return "(error) " + d.diags.at(0).message;
    return std::string(d.source->line_text(2));
  };
  CHECK(line2("koi8-r", "\xC1") == "\xD0\xB0");          // U+0430
  CHECK(line2("iso-8859-5", "\xB0") == "\xD0\x90");      // U+0410
  CHECK(line2("cp437", "\x82") == "\xC3\xA9");           // U+00E9
  CHECK(line2("euc-kr", "\xC7\xD1\xB1\xDB") == "\xED\x95\x9C\xEA\xB8\x80");  // U+D55C U+AE00
  CHECK(line2("gb2312", "\xC4\xE3\xBA\xC3") == "\xE4\xBD\xA0\xE5\xA5\xBD");  // U+4F60 U+597D
  CHECK(line2("shift_jis", "\x82\xA0") == "\xE3\x81\x82");  // U+3042
  CHECK(line2("big5", "\xA4\xA4") == "\xE4\xB8\xAD");       // U+4E2D
  // Longer sequences: gb18030's four bytes, EUC-JP's JIS X 0212, euc_kr's make-up Hangul.
  CHECK(line2("gb18030", "\x81\x30\x81\x30\x90\x30\x81\x30") == "\xC2\x80\xF0\x90\x80\x80");
  CHECK(line2("euc_jp", "\xA4\xA2\x8F\xB0\xA1") == "\xE3\x81\x82\xE4\xB8\x82");
  CHECK(line2("euc-kr", "\xA4\xD4\xA4\xA1\xA4\xBF\xA4\xD4") == "\xEA\xB0\x80");  // U+AC00
  // A sequence decoding to two code points (U+00CA U+0304).
  CHECK(line2("big5hkscs", "\x88\x62") == "\xC3\x8A\xCC\x84");
}

TEST_CASE("null bytes are an error, before any decoding", "[source]") {
  Diagnostic d = decode_error(std::string("x = 1\0\n", 7));
  CHECK(d.kind == DiagnosticKind::source_null_byte);
  CHECK(d.message == "source code cannot contain null bytes");
  CHECK(d.begin == 5);
  CHECK(decode_error(std::string("# coding: latin-1\nx\0", 20)).kind ==
        DiagnosticKind::source_null_byte);
  // Even after a byte the declared codec rejects, and in a comment.
  CHECK(decode_error(std::string("# coding: ascii\n'\xE9' # \0\n", 24)).kind ==
        DiagnosticKind::source_null_byte);
}

TEST_CASE("encode gives back the bytes of every codec", "[source]") {
  std::string latin1 = "# coding: latin-1\nx = '\xE9\xFF\xA4'\r\n";
  std::string cp1252 = "# coding: cp1252\nx = '\x80\x9F\xE9'\n";
  std::string latin9 = "# coding: iso-8859-15\nx = '\xA4\xBC\xE9'\n";
  std::string koi8 = "# coding: koi8-r\nx = '\xC1\xFF'\n";
  std::string gb18030 = "# coding: gb18030\nx = '\xD6\xD0\x81\x30\x81\x30\x90\x30\x81\x30'\n";
  std::string makeup = "# coding: euc-kr\nx = '\xA4\xD4\xA4\xA1\xA4\xBF\xA4\xD4\xB0\xA1'\n";
  // Two sequences for one character (NEC and IBM extensions of cp932).
  std::string cp932 = "# coding: cp932\nx = '\xED\x40\xFA\x5C'\n";
  std::string utf8 = "\xEF\xBB\xBFx = '\xE2\x82\xAC'\n";
  std::string sig = "# coding: utf_8_sig\nx = '\xE2\x82\xAC'\n";
  for (const std::string& bytes : {latin1, cp1252, latin9, koi8, gb18030, makeup, cp932, utf8, sig}) {
    Decoded d = decode(bytes);
    REQUIRE(d.source);
    CHECK(d.source->original_bytes() == bytes);
    CHECK(d.source->encode(d.source->text()) == bytes);
  }
  Decoded cp = decode(cp1252);
  CHECK(cp.source->line_text(2) == "x = '\xE2\x82\xAC\xC5\xB8\xC3\xA9'");
  // Other text: encoded by the codec, '?' for what it lacks.
  Decoded k = decode(koi8);
  CHECK(k.source->encode("y = '\xD0\xB0\xE2\x82\xAC'") == "y = '\xC1?'");
  Decoded g = decode(gb18030);
  CHECK(g.source->encode("'\xE4\xB8\xAD\xF0\x90\x80\x80'") == "'\xD6\xD0\x90\x30\x81\x30'");
  Decoded c = decode(cp932);
  CHECK(c.source->encode("\xE7\xBA\x8A") == "\xED\x40");
  Decoded b = decode(utf8);
  CHECK(b.source->encode("y") == "\xEF\xBB\xBFy");
}

TEST_CASE("the line table knows \\n, \\r\\n and \\r", "[source]") {
  Decoded d = decode("a\nbb\r\nccc\rd");
  REQUIRE(d.source);
  const SourceBuffer& s = *d.source;
  CHECK(s.line_count() == 4);
  CHECK(s.line_text(1) == "a");
  CHECK(s.line_text(2) == "bb");
  CHECK(s.line_text(3) == "ccc");
  CHECK(s.line_text(4) == "d");
  CHECK(s.line_start(3) == 6);
  CHECK(s.line_column(7).line == 3);
  CHECK(s.line_column(7).column == 1);
  CHECK(s.line_column(11).line == 4);
  Decoded empty = decode("");
  REQUIRE(empty.source);
  CHECK(empty.source->line_count() == 1);
  CHECK(empty.source->line_text(1).empty());
}
