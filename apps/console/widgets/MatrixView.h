#pragma once

#include <QList>
#include <QStringList>
#include <QWidget>

namespace signiq::console {

// A labelled grid of coloured cells: the weekday x hour heatmap, the zone-to-zone flow and the
// demographics table. A suppressed cell is drawn hatched with the word "suppressed", never as 0.
class MatrixView : public QWidget {
    Q_OBJECT

public:
    struct Cell {
        double value = 0.0; // colour intensity relative to the maximum
        QString text;       // drawn in the cell when it fits
        bool suppressed = false;
        bool empty = false; // no data at all: drawn blank
        QString toolTip;
    };

    explicit MatrixView(QWidget *parent = nullptr);

    void setMatrix(const QStringList &rows, const QStringList &columns, const QList<QList<Cell>> &cells, double maxValue);
    void setEmptyText(const QString &text);
    QString emptyText() const { return m_emptyText; }
    void setColumnLabelStep(int step) { m_columnLabelStep = std::max(1, step); }

    int rowCount() const { return int(m_rows.size()); }
    int columnCount() const { return int(m_columns.size()); }
    Cell cell(int row, int column) const { return m_cells.value(row).value(column); }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    QRectF cellRect(int row, int column) const;
    int labelWidth() const;
    int headerHeight() const;

    QStringList m_rows;
    QStringList m_columns;
    QList<QList<Cell>> m_cells;
    double m_max = 0.0;
    QString m_emptyText;
    int m_columnLabelStep = 1;
};

} // namespace signiq::console
