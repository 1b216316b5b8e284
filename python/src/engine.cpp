// ivyc._engine: the C++ conversion engine in the Python process (include/ivyc/api/convert.h).
// One call converts one source text; the GIL is released while it runs, so threads of the caller
// convert in parallel. The op tables are the ones built into the extension, loaded on first use.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <stdexcept>
#include <string>

#include "ivyc/api/convert.h"

namespace py = pybind11;

namespace {

auto tables() -> const ivyc::ops::Tables& {
  std::vector<std::string> errors;
  auto t = ivyc::api::embedded_tables(&errors);
  if (!t) {
    std::string message = "ivyc: the built-in op tables are invalid";
    for (const auto& e : errors) message += "\n  ops/" + e;
    throw std::runtime_error(message);
  }
  return *t;
}

// Python's str is UTF-8 here; bytes are taken as the file's bytes (its coding declaration applies).
auto input_bytes(const py::object& source) -> std::string {
  if (py::isinstance<py::bytes>(source)) return std::string(source.cast<py::bytes>());
  if (py::isinstance<py::str>(source)) return source.cast<std::string>();
  throw py::type_error("ivyc._engine.convert: source must be str or bytes, not " +
                       std::string(py::str(py::type::of(source).attr("__name__"))));
}

}  // namespace

PYBIND11_MODULE(_engine, m) {
  m.doc() = "The ivyc conversion engine (C++), in-process. The Python API is ivyc.transpile.";
#ifdef IVYC_VERSION
  m.attr("__version__") = IVYC_VERSION;
#endif

  py::class_<ivyc::api::Site>(m, "Site", "One converted or unconverted site of the input.")
      .def_readonly("line", &ivyc::api::Site::line, "1-based line")
      .def_readonly("column", &ivyc::api::Site::column, "1-based column, in UTF-8 bytes of the line")
      .def_readonly("end_line", &ivyc::api::Site::end_line)
      .def_readonly("end_column", &ivyc::api::Site::end_column)
      .def_readonly("api", &ivyc::api::Site::api, "the torch API, e.g. 'torch.sum'")
      .def_property_readonly("status", [](const ivyc::api::Site& s) { return std::string(ivyc::api::status_name(s.status)); },
                             "'converted', 'unsupported' or 'assumed' (converted, taking an untraced receiver for a tensor)")
      .def_readonly("reason", &ivyc::api::Site::reason)
      .def("__repr__", [](const ivyc::api::Site& s) {
        return "<Site " + std::to_string(s.line) + ":" + std::to_string(s.column) + " " + s.api + " " +
               std::string(ivyc::api::status_name(s.status)) + ">";
      });

  py::class_<ivyc::api::Error>(m, "Error", "Why a conversion failed (exit status 2).")
      .def_readonly("path", &ivyc::api::Error::path)
      .def_readonly("line", &ivyc::api::Error::line, "1-based; 0 when the error has no position")
      .def_readonly("column", &ivyc::api::Error::column, "1-based; 0 when the error has no position")
      .def_readonly("message", &ivyc::api::Error::message)
      .def("__repr__", [](const ivyc::api::Error& e) {
        return "<Error " + e.path + ":" + std::to_string(e.line) + ":" + std::to_string(e.column) + ": " + e.message + ">";
      });

  py::class_<ivyc::api::Result>(m, "Result", "The conversion of one source text.")
      .def_readonly("exit_status", &ivyc::api::Result::exit_status,
                    "what the command line exits with for this input: 0, 1 (some sites unsupported), 2 (failed)")
      .def_property_readonly("output", [](const ivyc::api::Result& r) { return py::bytes(r.output); },
                             "the converted file's bytes (empty when exit_status is 2)")
      .def_property_readonly("text", [](const ivyc::api::Result& r) {
        return py::reinterpret_steal<py::str>(PyUnicode_DecodeUTF8(r.output.data(), static_cast<Py_ssize_t>(r.output.size()), "replace"));
      }, "the converted file as text (UTF-8)")
      .def_readonly("messages", &ivyc::api::Result::messages, "the diagnostics as the command line prints them")
      .def_readonly("error", &ivyc::api::Result::error, "an Error when exit_status is 2, else None")
      .def_readonly("sites", &ivyc::api::Result::sites, "every converted and unconverted site, in source order")
      .def(
          "report_json",
          [](const ivyc::api::Result& r, const std::string& path, const std::string& from, const std::string& to,
             const std::string& output_path) {
            return ivyc::api::report_json({{&r, path, output_path}}, from, to);
          },
          py::arg("path"), py::arg("source_framework"), py::arg("to"), py::arg("output_path") = "",
          "the --report JSON of this result (the format of `ivyc --report`)");

  m.def(
      "convert",
      [](const py::object& source, const std::string& path, const std::string& from, const std::string& to) {
        std::string bytes = input_bytes(source);
        const auto& t = tables();
        py::gil_scoped_release release;
        return ivyc::api::convert(std::move(bytes), path, from, to, t);
      },
      py::arg("source"), py::arg("path") = "<string>", py::arg("source_framework") = "torch", py::arg("to") = "jax",
      "Converts one Python file's text (str or bytes) from one framework to another; `path` names it in "
      "messages. Returns a Result; never raises for a bad input (exit_status 2 and error say why).");
  m.def("frameworks", &ivyc::api::frameworks, "every framework ivyc knows");
  m.def("sources", &ivyc::api::sources, "the frameworks ivyc converts from");
  m.def("targets", &ivyc::api::targets, "the frameworks ivyc converts to");
}
