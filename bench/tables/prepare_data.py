#!/usr/bin/python3
"""Build fixed train/test CSV splits for the benchmark tables from the raw
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


# 5. UCI Congressional Voting Records (house-votes-84): 16 y/n votes, '?' -> null.
VOTES = ["handicapped_infants", "water_project_cost_sharing",
         "adoption_of_the_budget_resolution", "physician_fee_freeze",
         "el_salvador_aid", "religious_groups_in_schools", "anti_satellite_test_ban",
         "aid_to_nicaraguan_contras", "mx_missile", "immigration",
         "synfuels_corporation_cutback", "education_spending",
         "superfund_right_to_sue", "crime", "duty_free_exports",
         "export_administration_act_south_africa"]


def votes():
    # The vendored copy adds a header line (with spaces after the commas).
    df = pd.read_csv(os.path.join(RAW, "house-votes-84.data"), dtype=str,
                     keep_default_na=False, skipinitialspace=True)
    assert len(df) == 435 and df.shape[1] == 17
    df.columns = ["party"] + VOTES
    df = df.replace("?", np.nan)
    assert set(df[VOTES].stack()) == {"y", "n"}
    df = df[VOTES + ["party"]]
    train, test = train_test_split(df, test_size=0.2, random_state=SEED,
                                   stratify=df["party"])
    write("votes", train.sort_index(), test.sort_index())


# 6. UCI Letter Recognition: 16 integer features, 26 classes (label as string).
LETTER = ["x_box", "y_box", "width", "high", "onpix", "x_bar", "y_bar", "x2bar",
          "y2bar", "xybar", "x2ybr", "xy2br", "x_ege", "xegvy", "y_ege", "yegvx"]


def letter():
    # The vendored copy adds a header "Letter,1,...,16": replace it with UCI's names.
    df = pd.read_csv(os.path.join(RAW, "letter-recognition.data"),
                     header=None, skiprows=1)
    assert len(df) == 20000 and df.shape[1] == 17
    df.columns = ["letter"] + LETTER
    df[LETTER] = df[LETTER].astype(int)
    df["letter"] = df["letter"].astype(str)
    df = df[LETTER + ["letter"]]
    train, test = train_test_split(df, test_size=0.2, random_state=SEED,
                                   stratify=df["letter"])
    write("letter", train.sort_index(), test.sort_index())


# 7. UCI Auto MPG: regression of mpg; horsepower '?' -> null; origin as a string.
ORIGIN = {1: "usa", 2: "europe", 3: "japan"}


def autompg():
    # The vendored copy adds a header line; fields are whitespace-separated,
    # car name is quoted.
    df = pd.read_csv(os.path.join(RAW, "auto-mpg.data"), sep=r"\s+",
                     quotechar='"', na_values=["?"])
    assert len(df) == 398
    assert df["horsepower"].isna().sum() == 6
    df = df.drop(columns=["car_name"])
    df["origin"] = df["origin"].map(ORIGIN)
    assert df["origin"].notna().all()
    for c in ["cylinders", "model_year"]:
        df[c] = df[c].astype(int)
    for c in ["displacement", "horsepower", "weight", "acceleration", "mpg"]:
        df[c] = df[c].astype("float64")
    df = df[["cylinders", "displacement", "horsepower", "weight", "acceleration",
             "model_year", "origin", "mpg"]]
    train, test = train_test_split(df, test_size=0.2, random_state=SEED)
    write("autompg", train.sort_index(), test.sort_index())


# 8. UCI Bike Sharing, daily (day.csv): regression of cnt; calendar columns as strings.
SEASONS = {1: "winter", 2: "spring", 3: "summer", 4: "fall"}  # by the dates in the file
WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]


def bikeday():
    df = pd.read_csv(os.path.join(RAW, "bike-day.csv"))
    assert len(df) == 731 and df["cnt"].sum() == 3292679
    # casual + registered = cnt (leak); instant = row id; the date is covered by yr/mnth/weekday.
    df = df.drop(columns=["instant", "dateday", "casual", "registered"])
    df["season"] = df["season"].map(SEASONS)
    df["mnth"] = df["mnth"].map(lambda m: MONTHS[m - 1])
    df["weekday"] = df["weekday"].map(lambda d: WEEKDAYS[d])
    for c in ["yr", "holiday", "workingday", "weathersit"]:
        df[c] = df[c].astype(int)
    for c in ["temp", "atemp", "hum", "windspeed", "cnt"]:
        df[c] = df[c].astype("float64")
    df = df[["season", "yr", "mnth", "holiday", "weekday", "workingday", "weathersit",
             "temp", "atemp", "hum", "windspeed", "cnt"]]
    train, test = train_test_split(df, test_size=0.2, random_state=SEED)
    write("bikeday", train.sort_index(), test.sort_index())


if __name__ == "__main__":
    soybean()
    pima()
    shuttle()
    beijing()
    votes()
    letter()
    autompg()
    bikeday()
