#!/usr/bin/env python3
"""Reads a programme report workbook with openpyxl (an independent reader)
and prints what the tests compare, as JSON: the sheet names, the cached
values and formulas of the summary, the communes sheet's rows, and each
sheet's print setup. Usage: report_check.py FILE.xlsx"""
import json
import sys

import openpyxl

path = sys.argv[1]
values = openpyxl.load_workbook(path, data_only=True)
formulas = openpyxl.load_workbook(path, data_only=False)
out = {"sheets": values.sheetnames, "summary": [], "communes": [], "print": {}}
summary_v = values["Tổng hợp"]
summary_f = formulas["Tổng hợp"]
for row in range(5, summary_v.max_row + 1):
    label = summary_v.cell(row, 1).value
    if label is None:
        continue
    out["summary"].append({"label": label, "value": summary_v.cell(row, 2).value,
                           "formula": summary_f.cell(row, 2).value})
communes = values["Các xã"]
heads = [c.value for c in communes[1]]
for row in communes.iter_rows(min_row=2, values_only=True):
    out["communes"].append(dict(zip(heads, row)))
for ws in values.worksheets:
    # fitToWidth defaults to 1 when absent (ECMA-376 CT_PageSetup).
    out["print"][ws.title] = {"landscape": ws.page_setup.orientation == "landscape",
                              "fit_to_page": bool(ws.sheet_properties.pageSetUpPr.fitToPage),
                              "fit_width": int(ws.page_setup.fitToWidth or 1),
                              "fit_height": int(ws.page_setup.fitToHeight or 0),
                              "paper": int(ws.page_setup.paperSize)}
print(json.dumps(out, ensure_ascii=False))
