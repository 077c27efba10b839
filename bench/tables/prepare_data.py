#!/usr/bin/python3
"""Build fixed train/test CSV splits for the four benchmark tables from the raw
files in /work/tables/raw (see README.md for their provenance).

Output: /work/tables/<name>/{train,test}.csv  (header; empty field = null;
label column last).
"""
import csv
import os

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

BASE = os.environ.get("TABLES", "/work/tables")
RAW = os.path.join(BASE, "raw")
SEED = 42


def write(name, train, test):
    d = os.path.join(BASE, name)
    os.makedirs(d, exist_ok=True)
    for split, df in (("train", train), ("test", test)):
        df.to_csv(os.path.join(d, split + ".csv"), index=False, na_rep="")
    print(name, "train", train.shape, "test", test.shape)


# 1. soybean-large: UCI train/test files as given (307 + 376 = 683 rows).
def soybean():
    def load(fn):
        df = pd.read_csv(os.path.join(RAW, fn), dtype=str, keep_default_na=False)
        # The vendored copy has a header line added; normalise the names.
        cols = [c.replace("class:class", "class") for c in df.columns]
        cols = [c.replace("-", "_").replace(" ", "_") for c in cols]
        df.columns = cols
        df = df.replace("?", np.nan)
        feats = [c for c in cols if c != "class"]
        return df[feats + ["class"]]

    train, test = load("soybean-large.data"), load("soybean-large.test")
    assert len(train) == 307 and len(test) == 376 and train.shape[1] == 36
    write("soybean", train, test)


# 2. Pima Indians Diabetes: 0 -> null in 5 columns, stratified 614/154 split.
def pima():
    df = pd.read_csv(os.path.join(RAW, "pima-indians-diabetes.csv"))
    df.columns = ["Pregnancies", "Glucose", "BloodPressure", "SkinThickness",
                  "Insulin", "BMI", "DiabetesPedigreeFunction", "Age", "Outcome"]
    assert len(df) == 768
    feats = df.columns[:8]
    df[feats] = df[feats].astype("float64")
    for c in ["Glucose", "BloodPressure", "SkinThickness", "Insulin", "BMI"]:
        df.loc[df[c] == 0, c] = np.nan
    df["Outcome"] = df["Outcome"].astype(int)
    train, test = train_test_split(df, test_size=154, random_state=SEED,
                                   stratify=df["Outcome"])
    write("pima", train.sort_index(), test.sort_index())


# 3. Statlog shuttle: rows 1..43500 of shuttle.csv = shuttle.trn, rest = shuttle.tst
#    (verified row-by-row against two other vendored copies, see README).
def shuttle():
    # its header line names only 8 of the 10 columns: skip it
    df = pd.read_csv(os.path.join(RAW, "shuttle_darenr.csv"), header=None, skiprows=1)
    assert len(df) == 58000
    feats = ["A%d" % i for i in range(1, 10)]
    df.columns = feats + ["class"]
    df[feats] = df[feats].astype("float64")
    df["class"] = df["class"].astype(int)
    write("shuttle", df.iloc[:43500], df.iloc[43500:])


# 4. Beijing Multi-Site Air Quality, station Aotizhongxin: target PM2.5.
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun",
          "jul", "aug", "sep", "oct", "nov", "dec"]


def beijing():
    df = pd.read_csv(os.path.join(RAW, "PRSA_Data_Aotizhongxin.csv"))
    assert len(df) == 35064
    df = df.drop(columns=["No", "station"])  # row id, constant
    df = df.rename(columns={"PM2.5": "PM25"})
    df["month"] = df["month"].map(lambda m: MONTHS[m - 1])
    df = df.dropna(subset=["PM25"])  # target can't be imputed
    num = ["year", "day", "hour", "PM10", "SO2", "NO2", "CO", "O3",
           "TEMP", "PRES", "DEWP", "RAIN", "WSPM"]
    df[num + ["PM25"]] = df[num + ["PM25"]].astype("float64")
    df = df[["year", "month", "day", "hour", "PM10", "SO2", "NO2", "CO", "O3",
             "TEMP", "PRES", "DEWP", "RAIN", "wd", "WSPM", "PM25"]]
    train, test = train_test_split(df, test_size=0.2, random_state=SEED)
    write("beijing_airq", train.sort_index(), test.sort_index())


if __name__ == "__main__":
    soybean()
    pima()
    shuttle()
    beijing()
