#pragma once

#include <QObject>

class QWidget;

namespace signiq::console {

// Spin boxes in a scrolling panel take the mouse wheel only when they have the keyboard focus
// (click or Tab into them first); otherwise the wheel scrolls the panel as if they were not
// there, so scrolling past a field never changes a value.
class SpinBoxWheelGuard final : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;

    // Guards every QAbstractSpinBox under `root` (sets Qt::StrongFocus: no focus by wheel).
    static void guardChildren(QWidget *root);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
};

} // namespace signiq::console
