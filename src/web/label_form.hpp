// The label-data fields of the seller centre's product form (brand, net
// quantity, shelf life, ingredients, instructions, warnings): reading them
// into the catalogue's input, filling them from a product, and the view the
// product form template loops over. One request's helpers; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "catalog/label_data.hpp"
#include "web/forms.hpp"
#include "web/i18n.hpp"

namespace nongsan::web {

// The label fields of a posted form; an empty field is "not given" (it
// clears the field on an edit). A shelf life that is not a number is a form
// error on "shelf_life_days".
catalog::LabelData ReadLabelForm(Form& form);
// The same as a patch that sets every label field (what the form shows is
// what the product keeps).
catalog::LabelPatch LabelPatchOf(const catalog::LabelData& label);
void SetLabelForm(Form& form, const catalog::LabelData& label);
// [{name, label, hint, multiline, value, invalid, error}] in label order,
// from a form's View().
nlohmann::json LabelFieldsView(const nlohmann::json& form_view, const Translations& translations, Lang lang);

}  // namespace nongsan::web
