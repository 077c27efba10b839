#!/usr/bin/python3
"""scikit-learn MLP baseline for the benchmark tables.

Pipeline: ColumnTransformer[
    numeric: SimpleImputer(mean) -> StandardScaler,
    string:  SimpleImputer(constant '__missing__') -> OneHotEncoder(handle_unknown='ignore')
] -> MLPClassifier / MLPRegressor(hidden_layer_sizes=(64,), random_state=0,
max_iter=300, early_stopping=False, solver='adam').

Writes /work/tables/sklearn-results.csv (table,metric,value).
Run with /usr/bin/python3 (Debian python3-sklearn).
"""
import csv
import os
import time
import warnings

import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.metrics import accuracy_score, f1_score, mean_squared_error, r2_score
from sklearn.compose import TransformedTargetRegressor
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

BASE = os.environ.get("TABLES", "/work/tables")

SOY_FEATS = [
    "date", "plant_stand", "precip", "temp", "hail", "crop_hist", "area_damaged",
    "severity", "seed_tmt", "germination", "plant_growth", "leaves",
    "leafspots_halo", "leafspots_marg", "leafspot_size", "leaf_shread",
    "leaf_malf", "leaf_mild", "stem", "lodging", "stem_cankers", "canker_lesion",
    "fruiting_bodies", "external_decay", "mycelium", "int_discolor", "sclerotia",
    "fruit_pods", "fruit_spots", "seed", "mold_growth", "seed_discolor",
    "seed_size", "shriveling", "roots"]

VOTES = [
    "handicapped_infants", "water_project_cost_sharing",
    "adoption_of_the_budget_resolution", "physician_fee_freeze", "el_salvador_aid",
    "religious_groups_in_schools", "anti_satellite_test_ban",
    "aid_to_nicaraguan_contras", "mx_missile", "immigration",
    "synfuels_corporation_cutback", "education_spending", "superfund_right_to_sue",
    "crime", "duty_free_exports", "export_administration_act_south_africa"]

# name -> (label, task, string feature columns)
TABLES = {
    "soybean": ("class", "classification", SOY_FEATS),
    "pima": ("Outcome", "classification", []),
    "shuttle": ("class", "classification", []),
    "beijing_airq": ("PM25", "regression", ["month", "wd"]),
    "votes": ("party", "classification", VOTES),
    "letter": ("letter", "classification", []),
    "autompg": ("mpg", "regression", ["origin"]),
    "bikeday": ("cnt", "regression", ["season", "mnth", "weekday"]),
}
# tables whose label is a string column
STRING_LABELS = {"soybean", "votes", "letter"}


def load(name, split, label, str_cols):
    dtypes = {c: str for c in str_cols}
    if name in STRING_LABELS:
        dtypes[label] = str
    # only an empty field is a null (the CSVs are written with na_rep="")
    df = pd.read_csv(os.path.join(BASE, name, split + ".csv"), dtype=dtypes,
                     keep_default_na=False, na_values=[""])
    return df.drop(columns=[label]), df[label]


def make_pipeline(X, str_cols, task):
    num_cols = [c for c in X.columns if c not in str_cols]
    transformers = []
    if num_cols:
        transformers.append(("num", Pipeline([
            ("impute", SimpleImputer(strategy="mean")),
            ("scale", StandardScaler())]), num_cols))
    if str_cols:
        transformers.append(("cat", Pipeline([
            ("impute", SimpleImputer(strategy="constant", fill_value="__missing__")),
            ("onehot", OneHotEncoder(handle_unknown="ignore"))]), str_cols))
    est_cls = MLPClassifier if task == "classification" else MLPRegressor
    est = est_cls(hidden_layer_sizes=(64,), random_state=0, max_iter=300,
                  early_stopping=False, solver="adam")
    return Pipeline([("prep", ColumnTransformer(transformers)), ("mlp", est)])


def main():
    rows = []
    print("sklearn", sklearn.__version__)
    for name, (label, task, str_cols) in TABLES.items():
        Xtr, ytr = load(name, "train", label, str_cols)
        Xte, yte = load(name, "test", label, str_cols)
        pipe = make_pipeline(Xtr, str_cols, task)
        t0 = time.time()
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always", ConvergenceWarning)
            pipe.fit(Xtr, ytr)
        converged = not any(issubclass(x.category, ConvergenceWarning) for x in w)
        secs = time.time() - t0
        pred = pipe.predict(Xte)
        res = [("n_train", len(Xtr)), ("n_test", len(Xte))]
        if task == "classification":
            res += [("test_accuracy", accuracy_score(yte, pred)),
                    ("test_macro_f1", f1_score(yte, pred, average="macro")),
                    ("train_accuracy", accuracy_score(ytr, pipe.predict(Xtr)))]
        else:
            res += [("test_r2", r2_score(yte, pred)),
                    ("test_rmse", mean_squared_error(yte, pred) ** 0.5),
                    ("train_r2", r2_score(ytr, pipe.predict(Xtr)))]
            # The stronger baseline, which Sparkfit is compared with: the same pipeline on a
            # standardised target (Sparkfit standardises regression targets too).
            scaled = TransformedTargetRegressor(regressor=make_pipeline(Xtr, str_cols, task),
                                                transformer=StandardScaler())
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                scaled.fit(Xtr, ytr)
            res.append(("test_r2_scaled_target", r2_score(yte, scaled.predict(Xte))))
        res += [("n_iter", pipe.named_steps["mlp"].n_iter_),
                ("converged", int(converged)), ("fit_seconds", round(secs, 1))]
        if name == "shuttle":
            for split, y in (("train", ytr), ("test", yte)):
                for k, v in sorted(y.value_counts().items()):
                    res.append(("%s_count_class_%d" % (split, k), int(v)))
            pred_s = pd.Series(pred)
            for k in sorted(yte.unique()):
                res.append(("test_recall_class_%d" % k,
                            float(((pred_s.values == k) & (yte.values == k)).sum()
                                  / (yte.values == k).sum())))
        for metric, value in res:
            print("%-14s %-26s %s" % (name, metric, value))
            rows.append((name, metric, value))
    with open(os.path.join(BASE, "sklearn-results.csv"), "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(["table", "metric", "value"])
        wr.writerows(rows)


if __name__ == "__main__":
    main()
