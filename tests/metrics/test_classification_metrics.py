import numpy as np
import pytest

from shall_we_gans.metrics.classification import accuracy, confusion_matrix, per_class_accuracy

Y_TRUE = np.array([0, 0, 1, 1, 1, 2])
Y_PRED = np.array([0, 1, 1, 1, 0, 1])


def test_accuracy_on_hand_built_labels():
    assert accuracy(Y_TRUE, Y_PRED) == pytest.approx(3 / 6)
    assert accuracy([4, 4], [4, 4]) == 1.0


def test_confusion_matrix_rows_are_true_classes():
    expected = np.array([[1, 1, 0], [1, 2, 0], [0, 1, 0]])
    np.testing.assert_array_equal(confusion_matrix(Y_TRUE, Y_PRED, n_classes=3), expected)
    assert confusion_matrix(Y_TRUE, Y_PRED).shape == (10, 10)
    assert confusion_matrix(Y_TRUE, Y_PRED).sum() == len(Y_TRUE)


def test_per_class_accuracy_is_recall_with_nan_for_absent_classes():
    result = per_class_accuracy(Y_TRUE, Y_PRED, n_classes=4)
    np.testing.assert_allclose(result[:3], [1 / 2, 2 / 3, 0.0])
    assert np.isnan(result[3])


@pytest.mark.parametrize(
    ("y_true", "y_pred", "message"),
    [
        ([0, 1], [0], "equal length"),
        ([], [], "non-empty"),
        ([0.0, 1.0], [0, 1], "integer"),
        ([0, 10], [0, 1], "n_classes=10"),
    ],
)
def test_bad_labels_raise_one_clear_error(y_true, y_pred, message):
    with pytest.raises(ValueError, match=message):
        confusion_matrix(y_true, y_pred)
