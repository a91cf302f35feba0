#!/usr/bin/env python3
"""Convert every example survey's XLSForm with pyxform (the converter KoboToolbox and ODK use)
and fail if any conversion fails. Not run by CI (CI has no Python); run it after changing the
XLSForm renderer:

    /tmp/venv-ref/bin/pip install pyxform==4.5.0 openpyxl==3.1.5
    cargo build && /tmp/venv-ref/bin/python tests/reference/check_xlsform.py

Its output from the last run is committed as tests/reference/check_xlsform.out.
"""
import glob
import os
import subprocess
import sys
import tempfile

from pyxform.xls2xform import convert

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
binary = os.path.join(root, "target", "debug", "satkit")
failures = 0
with tempfile.TemporaryDirectory() as tmp:
    for survey in sorted(glob.glob(os.path.join(root, "surveys", "*", "survey.toml"))):
        name = os.path.basename(os.path.dirname(survey))
        xlsx = os.path.join(tmp, f"{name}.xlsx")
        subprocess.run([binary, "build", survey, "--to", "xlsform", "-o", xlsx], check=True)
        try:
            result = convert(xlsform=xlsx)
            xml = result.xform
            warnings = [w for w in (result.warnings or [])]
            print(f"{name}: ok, XForm {len(xml)} characters, {len(warnings)} warnings")
            for w in warnings:
                print(f"  warning: {w}")
        except Exception as e:  # pyxform raises PyXFormError on invalid forms
            failures += 1
            print(f"{name}: FAILED: {e}")
sys.exit(1 if failures else 0)
