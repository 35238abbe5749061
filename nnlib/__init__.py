"""nnlib: the reference NumPy neural-network library that Deep Learning Demystified builds chapter
by chapter."""

from nnlib.activations import (
    ReLU,
    Sigmoid,
    Tanh,
    log_softmax,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    softmax,
    tanh,
    tanh_derivative,
)
from nnlib.dropout import Dropout
from nnlib.init import (
    get_initializer,
    he_normal,
    he_uniform,
    normal,
    xavier_normal,
    xavier_uniform,
)
from nnlib.layers import Dense, Sequential
from nnlib.losses import MSELoss, SoftmaxCrossEntropy
from nnlib.module import Module, Parameter
from nnlib.normalization import BatchNorm1d
from nnlib.optim import SGD, Adam, CosineAnnealingLR, LRScheduler, Optimizer, RMSprop, StepLR
from nnlib.residual import Residual

__all__ = [
    "Adam",
    "BatchNorm1d",
    "CosineAnnealingLR",
    "Dense",
    "Dropout",
    "LRScheduler",
    "MSELoss",
    "Module",
    "Optimizer",
    "Parameter",
    "RMSprop",
    "ReLU",
    "Residual",
    "SGD",
    "Sequential",
    "Sigmoid",
    "SoftmaxCrossEntropy",
    "StepLR",
    "Tanh",
    "get_initializer",
    "he_normal",
    "he_uniform",
    "log_softmax",
    "normal",
    "relu",
    "relu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "softmax",
    "tanh",
    "tanh_derivative",
    "xavier_normal",
    "xavier_uniform",
]

# Upper half: gradient checking, metrics, data, training (built on the lower half above).
from nnlib.data import (
    load_breast_cancer,
    load_digits,
    make_circles,
    make_moons,
    make_spirals,
    make_xor,
    one_hot,
    standardize,
    train_test_split,
)
from nnlib.gradcheck import (
    GradientCheckError,
    GradientCheckReport,
    check_gradients,
    numerical_gradient,
)
from nnlib.metrics import accuracy, confusion_matrix, precision_recall_f1
from nnlib.thresholds import precision_recall_curve, threshold_for_recall
from nnlib.training import (
    History,
    TrainingDivergedError,
    evaluate,
    fit,
    fit_epoch,
    model_mode,
    predict,
)

__all__ += [
    "GradientCheckError",
    "GradientCheckReport",
    "History",
    "TrainingDivergedError",
    "accuracy",
    "check_gradients",
    "confusion_matrix",
    "evaluate",
    "fit",
    "fit_epoch",
    "load_breast_cancer",
    "load_digits",
    "make_circles",
    "make_moons",
    "make_spirals",
    "make_xor",
    "model_mode",
    "numerical_gradient",
    "one_hot",
    "precision_recall_curve",
    "precision_recall_f1",
    "predict",
    "standardize",
    "threshold_for_recall",
    "train_test_split",
]
