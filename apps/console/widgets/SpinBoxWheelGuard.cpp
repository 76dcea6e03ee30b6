#include "SpinBoxWheelGuard.h"

#include <QAbstractSpinBox>
#include <QEvent>
#include <QWidget>

namespace signiq::console {

void SpinBoxWheelGuard::guardChildren(QWidget *root)
{
    auto *guard = new SpinBoxWheelGuard(root);
    for (QAbstractSpinBox *box : root->findChildren<QAbstractSpinBox *>()) {
        box->setFocusPolicy(Qt::StrongFocus);
        box->installEventFilter(guard);
    }
}

bool SpinBoxWheelGuard::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Wheel) {
        auto *widget = qobject_cast<QWidget *>(watched);
        if (widget && !widget->hasFocus()) {
            // Not delivered to the spin box; ignored, so QApplication passes it on to the parents
            // (the scroll area scrolls).
            event->ignore();
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

} // namespace signiq::console
