"""Make the workbook and SPSS benchmark inputs of bench/README.md (Workbooks and SPSS files)
from the competitor's 1M file: /tmp/r1m.csv from ../shared/bench/gen_responses.py --rows 1000000
--seed 42. Needs pandas, pyreadstat and openpyxl; writes /tmp/b1m.sav and /tmp/b100k.xlsx."""
import pandas as pd, pyreadstat, openpyxl, sys
df = pd.read_csv('/tmp/r1m.csv')
print(df.shape, flush=True)
cols = list(df.columns)
# 1M x 32 .sav: drop text columns beyond 32
sav = df.iloc[:, :32].copy()
for c in sav.columns:
    if sav[c].dtype == object: sav[c] = sav[c].fillna('')
pyreadstat.write_sav(sav, '/tmp/b1m.sav')
print('sav done', flush=True)
x = df.iloc[:100000].copy()
while x.shape[1] < 40:
    x[f'extra_{x.shape[1]}'] = x['q1_1'] if 'q1_1' in x else 1
wb = openpyxl.Workbook(write_only=True)
ws = wb.create_sheet('Responses')
ws.append(list(x.columns))
for row in x.itertuples(index=False):
    ws.append([None if (isinstance(v, float) and v != v) else v for v in row])
wb.save('/tmp/b100k.xlsx')
print('xlsx done', x.shape, flush=True)
