#include "web/label_form.hpp"

#include "web/forms.hpp"
#include "web/views.hpp"

namespace nongsan::web {

namespace {

// A textarea's line breaks become spaces: a label lays its text out as one
// paragraph, and the catalogue refuses control characters in label fields.
std::string OneLine(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '\r') continue;
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

}  // namespace

catalog::LabelData ReadLabelForm(Form& form) {
  catalog::LabelData label;
  for (const auto& f : catalog::LabelTextFields()) {
    if (!form.Value(f.name).empty()) label.*f.value = OneLine(form.Value(f.name));
  }
  const std::string& days = form.Value(catalog::kShelfLifeField);
  if (!days.empty()) {
    if (auto n = ParseCount(days)) {
      label.shelf_life_days = *n;
    } else {
      form.AddError(catalog::kShelfLifeField, "errors.field.shelf_life_days");
    }
  }
  return label;
}

catalog::LabelPatch LabelPatchOf(const catalog::LabelData& label) {
  catalog::LabelPatch patch;
  for (const auto& f : catalog::LabelTextFields()) patch.*f.patch = label.*f.value;
  patch.shelf_life_days = label.shelf_life_days;
  return patch;
}

void SetLabelForm(Form& form, const catalog::LabelData& label) {
  for (const auto& f : catalog::LabelTextFields()) form.Set(f.name, (label.*f.value).value_or(""));
  form.Set(catalog::kShelfLifeField, label.shelf_life_days ? std::to_string(*label.shelf_life_days) : "");
}

nlohmann::json LabelFieldsView(const nlohmann::json& form_view, const Translations& translations, Lang lang) {
  std::vector<std::string> names;
  for (const auto& f : catalog::LabelTextFields()) names.emplace_back(f.name);
  names.insert(names.begin() + 2, catalog::kShelfLifeField);  // after net quantity, with the short fields
  nlohmann::json out = nlohmann::json::array();
  for (const std::string& name : names) {
    nlohmann::json field = {{"name", name},
                            {"label", translations.Get(lang, "label_form." + name)},
                            {"hint", translations.Get(lang, "label_form." + name + "_hint")},
                            {"multiline", name == "ingredients" || name == "usage_instructions" ||
                                              name == "storage_instructions" || name == "warnings"},
                            {"numeric", name == catalog::kShelfLifeField},
                            {"value", ""},
                            {"invalid", false}};
    if (auto it = form_view.find(name); it != form_view.end()) {
      field["value"] = it->value("value", "");
      field["invalid"] = it->value("invalid", false);
      if (it->contains("error")) field["error"] = it->at("error");
    }
    out.push_back(std::move(field));
  }
  return out;
}

}  // namespace nongsan::web
