#include "SpinBoxWheelGuard.h"

#include <QAbstractScrollArea>
#include <QAbstractSpinBox>
#include <QCoreApplication>
#include <QScrollBar>
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
            // Not for the spin box: the enclosing scroll area scrolls, as if the box were not there.
            for (QWidget *parent = widget->parentWidget(); parent; parent = parent->parentWidget())
                if (auto *area = qobject_cast<QAbstractScrollArea *>(parent)) {
                    QCoreApplication::sendEvent(area->verticalScrollBar(), event);
                    return true;
                }
            event->ignore();
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

} // namespace signiq::console
