"""scikit-learn's weighted metrics of the rows in argv[1] (task, classes): one 'name value' line each.

Rows: weight, actual class (or target), then the class probabilities (or the prediction).
"""
import sys

import numpy as np
from sklearn import metrics

path, task, classes = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = np.loadtxt(path, delimiter=",", ndmin=2)
w = data[:, 0]
if task == "classification":
    y = data[:, 1].astype(int)
    p = data[:, 2:2 + classes]
    predicted = p.argmax(axis=1)
    labels = list(range(classes))
    out = {"accuracy": metrics.accuracy_score(y, predicted, sample_weight=w),
           "log-loss": metrics.log_loss(y, p, sample_weight=w, labels=labels)}
    average = "binary" if classes == 2 else "macro"
    for name, fn in (("precision", metrics.precision_score), ("recall", metrics.recall_score), ("f1", metrics.f1_score)):
        out[name] = fn(y, predicted, sample_weight=w, average=average, labels=labels if classes > 2 else None, zero_division=0)
        out[name + "-micro"] = fn(y, predicted, sample_weight=w, average="micro", labels=labels, zero_division=0)
        out[name + "-weighted"] = fn(y, predicted, sample_weight=w, average="weighted", labels=labels, zero_division=0)
    if classes == 2:
        out["auc"] = metrics.roc_auc_score(y, p[:, 1], sample_weight=w)
    else:
        out["auc"] = metrics.roc_auc_score(y, p, sample_weight=w, multi_class="ovr", average="macro", labels=labels)
    precision, recall, f1, support = metrics.precision_recall_fscore_support(
        y, predicted, sample_weight=w, labels=labels, average=None, zero_division=0)
    for c in range(classes):
        out["class-%d-precision" % c] = precision[c]
        out["class-%d-recall" % c] = recall[c]
        out["class-%d-f1" % c] = f1[c]
        out["class-%d-support" % c] = support[c]
        out["class-%d-auc" % c] = metrics.roc_auc_score(y == c, p[:, c], sample_weight=w)
    matrix = metrics.confusion_matrix(y, predicted, sample_weight=w, labels=labels)
    for i in range(classes):
        for j in range(classes):
            out["cell-%d-%d" % (i, j)] = matrix[i, j]
else:
    y = data[:, 1]
    p = data[:, 2]
    out = {"mse": metrics.mean_squared_error(y, p, sample_weight=w),
           "mae": metrics.mean_absolute_error(y, p, sample_weight=w),
           "r2": metrics.r2_score(y, p, sample_weight=w)}
for name, value in out.items():
    print(name, repr(float(value)))
