// Scripts clients upload (`qtrader serve --allow-upload DIR`, docs/serve.md
// "Uploaded scripts"): PUT /api/scripts/{strategy|risk_policy}/NAME stores
// the body as DIR/NAME.lua (risk/NAME.lua), DELETE removes it. The folder is
// a library of its own namespace (its qtrader-lib.yaml, `uploads` unless the
// operator wrote another), appended to the server's script roots, so an
// upload can never take a name another script already has: the server
// refuses it (409) rather than make that name ambiguous for every session.
// A script is described in a child process before it is stored, as the
// catalog is; it runs sandboxed, in its session's process, as any script.
#pragma once

#include <atomic>
#include <stdexcept>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "serve/serve_config.hpp"

namespace qtrader::serve {

// Creates the upload folder and its manifest when missing, and appends the
// folder to config.script_paths. Throws std::runtime_error naming the folder.
void prepare_upload_dir(ServeConfig& config);

// Why an upload was refused: the HTTP status, the message, the field.
struct UploadRefusal : std::runtime_error {
  UploadRefusal(int status, const std::string& message, std::string field)
      : std::runtime_error(message), status(status), field(std::move(field)) {}
  int status;
  std::string field;
};

class ScriptUploads {
 public:
  explicit ScriptUploads(const ServeConfig& config);

  bool enabled() const noexcept { return !config_.upload_dir.empty(); }

  // An upload is stored in three steps: check() on the server's thread (the
  // request alone), describe() anywhere (a child process that may take the
  // sandbox's init budget, so the server runs it off its thread), commit()
  // on the server's thread again (against the current script list). Each
  // throws UploadRefusal.
  void check(const std::string& kind, const std::string& name, const std::string& text) const;
  // The script's `qtrader list` entry, described from a staging copy.
  nlohmann::ordered_json describe(const std::string& kind, const std::string& name, const std::string& text);
  // Stores `text` as the upload `name` of `kind` ("strategy" or
  // "risk_policy"), replacing an earlier upload of that name, unless its
  // declared name is another script's in `scripts` (read_script_list). The
  // stored script's entry, without its file.
  nlohmann::ordered_json commit(const std::string& kind, const std::string& name, const std::string& text,
                                nlohmann::ordered_json entry, const nlohmann::ordered_json& scripts);

  bool exists(const std::string& kind, const std::string& name) const;

  // Removes the upload; false when there is none of that name.
  bool remove(const std::string& kind, const std::string& name);

 private:
  std::string destination(const std::string& kind, const std::string& name) const;

  const ServeConfig& config_;
  std::atomic<unsigned> staged_{0};  // staging folders made, for their names (any thread)
};

}  // namespace qtrader::serve
