// SourceBuffer: decoding as CPython decodes source files (BOM, PEP 263 declarations, strict
// UTF-8, NUL bytes), the line table, and encoding back for a lossless round trip.
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
  CHECK(d.source->encoding() == "latin-1");
  CHECK(d.source->text() == "# -*- coding: latin-1 -*-\nx = '\xC3\xA9'\n");

  // Line 2, after a comment (the shebang) or a blank line.
  Decoded shebang = decode("#!/usr/bin/python\n# vim: set fileencoding=iso-8859-15 :\nx = '\xA4'\n");
  REQUIRE(shebang.source);
  CHECK(shebang.source->encoding() == "iso8859-15");
  CHECK(shebang.source->line_text(3) == "x = '\xE2\x82\xAC'");
  Decoded blank = decode("\n  # coding=l1\nx = '\xE9'\n");
  REQUIRE(blank.source);
  CHECK(blank.source->encoding() == "latin-1");

  // Not on line 2 after code, not on line 3, not after code on the same line.
  CHECK(decode_error("x = 1\n# coding: latin-1\nx = '\xE9'\n").kind ==
        DiagnosticKind::source_invalid_utf8);
  CHECK(decode_error("#\n#\n# coding: latin-1\nx = '\xE9'\n").kind ==
        DiagnosticKind::source_invalid_utf8);
  CHECK(decode_error("x = 1  # coding: latin-1\n'\xE9'\n").kind ==
        DiagnosticKind::source_invalid_utf8);
}

TEST_CASE("codec names and aliases are Python's", "[source]") {
  for (const char* name : {"utf-8", "utf8", "UTF-8", "utf_8", "utf-8-sig", "u8"}) {
    Decoded d = decode(std::string("# coding: ") + name + "\nx = 'é'\n");
    REQUIRE(d.source);
    CHECK(d.source->encoding() == "utf-8");
  }
  for (const char* name : {"latin-1", "latin1", "iso-8859-1", "iso8859-1", "ISO_8859-1", "l1",
                           "cp819"}) {
    Decoded d = decode(std::string("# coding: ") + name + "\n");
    REQUIRE(d.source);
    CHECK(d.source->encoding() == "latin-1");
  }
  for (const char* name : {"ascii", "us-ascii", "646"}) {
    Decoded d = decode(std::string("# coding: ") + name + "\n");
    REQUIRE(d.source);
    CHECK(d.source->encoding() == "ascii");
  }
  for (const char* name : {"cp1252", "windows-1252"}) {
    Decoded d = decode(std::string("# coding: ") + name + "\n");
    REQUIRE(d.source);
    CHECK(d.source->encoding() == "cp1252");
  }
  for (const char* name : {"iso-8859-15", "latin9", "l9"}) {
    Decoded d = decode(std::string("# coding: ") + name + "\n");
    REQUIRE(d.source);
    CHECK(d.source->encoding() == "iso8859-15");
  }
}

TEST_CASE("unknown encodings and a BOM that disagrees are errors", "[source]") {
  Diagnostic unknown = decode_error("# coding: foobar\nx = 1\n");
  CHECK(unknown.kind == DiagnosticKind::source_unknown_encoding);
  CHECK(unknown.message == "unknown encoding: foobar");
  // CPython says "utf8-sig" is unknown too (only utf-8-sig is a name).
  CHECK(decode_error("# coding: utf8-sig\n").message == "unknown encoding: utf8-sig");
  Diagnostic other = decode_error("# coding: koi8-r\n");
  CHECK(other.kind == DiagnosticKind::source_unknown_encoding);
  CHECK(other.message.starts_with("unsupported encoding: koi8-r"));

  CHECK(decode_error("\xEF\xBB\xBF# coding: latin-1\n").message ==
        "encoding problem: iso-8859-1 with BOM");
  CHECK(decode_error("\xEF\xBB\xBF# coding: utf8\n").message == "encoding problem: utf8 with BOM");
  Decoded ok = decode("\xEF\xBB\xBF# coding: utf-8\nx = 1\n");
  CHECK(ok.source);
}

TEST_CASE("invalid utf-8 is reported as Python's codec reports it", "[source]") {
  Diagnostic start = decode_error("x = 1\ny = '\xC0\xAF'\n");
  CHECK(start.kind == DiagnosticKind::source_invalid_utf8);
  CHECK(start.message ==
        "(unicode error) 'utf-8' codec can't decode byte 0xc0 in position 11: invalid start byte "
        "(line 2)");
  CHECK(start.begin == 11);
  CHECK(decode_error("'\xE9'").message ==
        "(unicode error) 'utf-8' codec can't decode byte 0xe9 in position 1: invalid "
        "continuation byte (line 1)");
  CHECK(decode_error("'\xE2\x82").message ==
        "(unicode error) 'utf-8' codec can't decode bytes in position 1-2: unexpected end of "
        "data (line 1)");
  // Surrogates, overlong forms and code points above U+10FFFF are invalid.
  CHECK(decode_error("'\xED\xA0\x80'").message.find("byte 0xed in position 1: invalid "
                                                   "continuation byte") != std::string::npos);
  CHECK(decode_error("'\xE0\x80\x80'").message.find("invalid continuation byte") !=
        std::string::npos);
  CHECK(decode_error("'\xF4\x90\x80\x80'").message.find("invalid continuation byte") !=
        std::string::npos);
  CHECK(decode_error("'\xF5\x80'").message.find("invalid start byte") != std::string::npos);
  // Positions count the BOM, as they count from the start of the file.
  CHECK(decode_error("\xEF\xBB\xBF'\xFF'").message.find("position 4") != std::string::npos);
  // Valid 2, 3 and 4 byte sequences.
  CHECK(decode("'\xC2\xA0\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF'").source);
}

TEST_CASE("single-byte codecs report undecodable bytes", "[source]") {
  Diagnostic ascii = decode_error("# coding: ascii\nx = '\xE9'\n");
  CHECK(ascii.kind == DiagnosticKind::source_decode_error);
  CHECK(ascii.message ==
        "(unicode error) 'ascii' codec can't decode byte 0xe9 in position 21: ordinal not in "
        "range(128) (line 2)");
  Diagnostic cp = decode_error("# coding: cp1252\nx = '\x81'\n");
  CHECK(cp.message.find("'charmap' codec can't decode byte 0x81 in position 22: character maps "
                        "to <undefined>") != std::string::npos);
}

TEST_CASE("null bytes are an error", "[source]") {
  Diagnostic d = decode_error(std::string("x = 1\0\n", 7));
  CHECK(d.kind == DiagnosticKind::source_null_byte);
  CHECK(d.message == "source code cannot contain null bytes");
  CHECK(d.begin == 5);
  CHECK(decode_error(std::string("# coding: latin-1\nx\0", 20)).kind ==
        DiagnosticKind::source_null_byte);
}

TEST_CASE("encode gives back the bytes of every codec", "[source]") {
  std::string latin1 = "# coding: latin-1\nx = '\xE9\xFF\xA4'\r\n";
  std::string cp1252 = "# coding: cp1252\nx = '\x80\x9F\xE9'\n";
  std::string latin9 = "# coding: iso-8859-15\nx = '\xA4\xBC\xE9'\n";
  std::string utf8 = "\xEF\xBB\xBFx = '\xE2\x82\xAC'\n";
  for (const std::string& bytes : {latin1, cp1252, latin9, utf8}) {
    Decoded d = decode(bytes);
    REQUIRE(d.source);
    CHECK(d.source->original_bytes() == bytes);
    CHECK(d.source->encode(d.source->text()) == bytes);
  }
  Decoded cp = decode(cp1252);
  CHECK(cp.source->line_text(2) == "x = '\xE2\x82\xAC\xC5\xB8\xC3\xA9'");
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
