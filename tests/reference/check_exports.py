#!/usr/bin/env python3
"""Read satkit's SPSS and Excel outputs back with pyreadstat and openpyxl (the readers pandas,
R haven's users and Excel users rely on) and check every value and label against the clean CSV
and the survey. Not run by CI (CI has no Python); run it after changing src/data/export.rs:

    /tmp/venv-ref/bin/pip install pyreadstat==1.3.8 openpyxl==3.1.5 pandas
    cargo build && /tmp/venv-ref/bin/python tests/reference/check_exports.py

Its output from the last run is committed as tests/reference/check_exports.out. It exits 1 on
the first mismatch.
"""
import glob
import math
import os
import subprocess
import sys
import tempfile
import tomllib

import openpyxl
import pandas as pd
import pyreadstat

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
binary = os.path.join(root, "target", "debug", "satkit")
cases = [(s, os.path.join(os.path.dirname(s), "responses.csv"))
         for s in sorted(glob.glob(os.path.join(root, "surveys", "*", "survey.toml")))]
cases.append((os.path.join(root, "tests/fixtures/import/survey.toml"),
              os.path.join(root, "tests/fixtures/import/labels.csv")))


def fail(msg):
    print("MISMATCH:", msg)
    sys.exit(1)


def norm(v):
    """A cell as comparable text: numbers as floats, booleans as true/false, empty as ''."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    try:
        return repr(float(v))
    except (TypeError, ValueError):
        return str(v)


def same(a, b):
    if a is None or (isinstance(a, float) and math.isnan(a)) or a == "":
        return b is None or (isinstance(b, float) and math.isnan(b)) or b == ""
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) < 1e-9
    return str(a) == str(b)


with tempfile.TemporaryDirectory() as tmp:
    for survey_path, data in cases:
        name = os.path.basename(os.path.dirname(survey_path))
        survey = tomllib.load(open(survey_path, "rb"))
        questions = {q["id"]: q for q in survey.get("profile", []) + survey.get("question", [])}
        scales = survey.get("scales", {})
        zh = survey["survey"].get("language") == "zh"
        out = {}
        for ext in ["csv", "sav", "xlsx"]:
            out[ext] = os.path.join(tmp, f"{name}.{ext}")
            subprocess.run([binary, "import", survey_path, data, "-o", out[ext]], check=True,
                           capture_output=True)
        ref = pd.read_csv(out["csv"], dtype=str, keep_default_na=False)
        df, meta = pyreadstat.read_sav(out["sav"], user_missing=True)
        wb = openpyxl.load_workbook(out["xlsx"], read_only=True)
        sheet = list(wb["responses"].iter_rows(values_only=True))
        xl_header, xl_rows = list(sheet[0]), sheet[1:]
        checked = labels = 0
        if xl_header != list(ref.columns):
            fail(f"{name}: xlsx header {xl_header} != csv header {list(ref.columns)}")
        for j, col in enumerate(ref.columns):
            q = questions.get(col)
            for i, v in enumerate(ref[col]):
                x = xl_rows[i][j]
                if norm(x) != norm(v):
                    fail(f"{name}: xlsx {col} row {i + 1}: {x!r} != {v!r}")
                checked += 1
            sav_col = "source_line" if col == "_line" else col
            if q is not None and q["type"] == "multiple":
                for k, choice in enumerate(q["choices"], start=1):
                    var = f"{col}_{k}"
                    want = [None if v == "" else float(str(k) in v.split(";")) for v in ref[col]]
                    for i, (a, b) in enumerate(zip(want, df[var])):
                        if not same(a, b):
                            fail(f"{name}: sav {var} row {i + 1}: {b!r} != {a!r}")
                        checked += 1
                    if meta.column_names_to_labels[var] != f"{q['text']}: {choice}":
                        fail(f"{name}: sav label of {var}: {meta.column_names_to_labels[var]!r}")
                    if meta.variable_value_labels[var].get(1.0) != choice:
                        fail(f"{name}: sav value label of {var}")
                    labels += 2
                continue
            for i, (v, b) in enumerate(zip(ref[col], df[sav_col])):
                a = None if v == "" else (float(v == "true") if v in ("true", "false") else v)
                if norm(a) != norm(b):
                    fail(f"{name}: sav {sav_col} row {i + 1}: {b!r} != {a!r}")
                checked += 1
            if q is None:
                continue
            if meta.column_names_to_labels[sav_col] != q["text"]:
                fail(f"{name}: sav label of {col}: {meta.column_names_to_labels[sav_col]!r}")
            labels += 1
            want = {}
            if q["type"] == "single":
                want = {float(k): c for k, c in enumerate(q["choices"], start=1)}
            elif q["type"] in ("rating", "nps") and q.get("scale") in scales:
                sc = scales[q["scale"]]
                lo = sc["points"][0]
                want = {float(lo + k): l for k, l in enumerate(sc.get("labels", [])) if l}
                if "na_code" in sc:
                    want[float(sc["na_code"])] = sc.get("na_label", "不适用" if zh else "Not applicable")
                    if meta.missing_ranges.get(sav_col) != [{"lo": float(sc["na_code"]), "hi": float(sc["na_code"])}]:
                        fail(f"{name}: sav user-missing of {col}: {meta.missing_ranges.get(sav_col)}")
                    labels += 1
            got = meta.variable_value_labels.get(sav_col, {})
            if got != want:
                fail(f"{name}: sav value labels of {col}: {got} != {want}")
            labels += len(want)
        code = {r[0]: r for r in list(wb["codebook"].iter_rows(values_only=True))[1:]}
        for qid, q in questions.items():
            if code[qid][1] != q["text"]:
                fail(f"{name}: codebook text of {qid}")
        print(f"{name}: {len(ref)} rows, {checked} values and {labels} labels agree "
              f"(csv = xlsx = sav, labels = survey)")
print("all agree")
