#include "MatrixView.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

namespace signiq::console {

MatrixView::MatrixView(QWidget *parent) : QWidget(parent)
{
    setMinimumHeight(160);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void MatrixView::setMatrix(const QStringList &rows, const QStringList &columns, const QList<QList<Cell>> &cells, double maxValue)
{
    m_rows = rows;
    m_columns = columns;
    m_cells = cells;
    m_max = maxValue;
    updateGeometry();
    update();
}

void MatrixView::setEmptyText(const QString &text)
{
    m_emptyText = text;
    update();
}

QSize MatrixView::sizeHint() const
{
    return {480, 240};
}

QSize MatrixView::minimumSizeHint() const
{
    return {240, 160};
}

int MatrixView::labelWidth() const
{
    int width = 0;
    for (const QString &row : m_rows)
        width = std::max(width, fontMetrics().horizontalAdvance(row));
    return std::min(width + 10, this->width() / 3);
}

int MatrixView::headerHeight() const
{
    return fontMetrics().height() + 6;
}

QRectF MatrixView::cellRect(int row, int column) const
{
    const double left = labelWidth();
    const double top = headerHeight();
    const double w = (width() - left - 2) / std::max<qsizetype>(1, m_columns.size());
    const double h = (height() - top - 2) / std::max<qsizetype>(1, m_rows.size());
    return QRectF(left + column * w, top + row * h, w, h);
}

void MatrixView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    if (m_rows.isEmpty() || m_columns.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
        return;
    }
    const QColor low(240, 246, 252);
    const QColor high(22, 96, 170);
    const QFontMetrics fm = fontMetrics();
    p.setPen(palette().color(QPalette::Text));
    for (int c = 0; c < m_columns.size(); c += m_columnLabelStep) {
        const QRectF r = cellRect(0, c);
        p.drawText(QRectF(r.left(), 0, r.width() * m_columnLabelStep, headerHeight()), Qt::AlignLeft | Qt::AlignVCenter,
                   fm.elidedText(m_columns.at(c), Qt::ElideRight, int(r.width() * m_columnLabelStep)));
    }
    for (int r = 0; r < m_rows.size(); ++r) {
        const QRectF first = cellRect(r, 0);
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRectF(0, first.top(), labelWidth() - 6, first.height()), Qt::AlignRight | Qt::AlignVCenter,
                   fm.elidedText(m_rows.at(r), Qt::ElideRight, labelWidth() - 6));
        for (int c = 0; c < m_columns.size(); ++c) {
            const QRectF cr = cellRect(r, c).adjusted(1, 1, -1, -1);
            const Cell cell = this->cell(r, c);
            if (cell.suppressed) {
                p.fillRect(cr, QColor(225, 225, 225));
                p.fillRect(cr, QBrush(QColor(160, 160, 160), Qt::BDiagPattern));
            } else if (cell.empty) {
                p.fillRect(cr, palette().color(QPalette::AlternateBase));
            } else {
                const double t = m_max > 0.0 ? std::clamp(cell.value / m_max, 0.0, 1.0) : 0.0;
                const QColor colour(int(low.red() + t * (high.red() - low.red())), int(low.green() + t * (high.green() - low.green())),
                                    int(low.blue() + t * (high.blue() - low.blue())));
                p.fillRect(cr, colour);
                p.setPen(t > 0.55 ? Qt::white : Qt::black);
            }
            if (cell.suppressed)
                p.setPen(QColor(60, 60, 60));
            if (!cell.text.isEmpty() && fm.horizontalAdvance(cell.text) + 4 <= cr.width() && fm.height() <= cr.height())
                p.drawText(cr, Qt::AlignCenter, cell.text);
        }
    }
}

bool MatrixView::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        for (int r = 0; r < m_rows.size(); ++r)
            for (int c = 0; c < m_columns.size(); ++c)
                if (cellRect(r, c).contains(help->pos())) {
                    const Cell cell = this->cell(r, c);
                    QString tip = m_rows.at(r) + QStringLiteral(" · ") + m_columns.at(c);
                    if (!cell.toolTip.isEmpty())
                        tip += u'\n' + cell.toolTip;
                    else if (!cell.text.isEmpty())
                        tip += QStringLiteral(": ") + cell.text;
                    QToolTip::showText(help->globalPos(), tip, this);
                    return true;
                }
        QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

} // namespace signiq::console
