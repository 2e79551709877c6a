#include "core/error.h"

namespace rumi {

namespace {
std::string compose(std::string_view file, std::string_view record, std::string_view field, std::string_view problem) {
  std::string msg(file.empty() ? "<input>" : file);
  if (!record.empty()) msg.append(": ").append(record);
  if (!field.empty()) msg.append(": field '").append(field).append("'");
  msg.append(": ").append(problem);
  return msg;
}
}  // namespace

InputError::InputError(std::string_view file, std::string_view record, std::string_view field, std::string_view problem)
    : Error(compose(file, record, field, problem), ExitCode::bad_input) {}

}  // namespace rumi
