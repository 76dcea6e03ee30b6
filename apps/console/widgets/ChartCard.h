#pragma once

#include "core/Result.h"
#include "dashboard/ChartTable.h"

#include <QFrame>

#include <functional>

class QLabel;

namespace signiq::console {

// One dashboard chart with its title and "Export CSV" / "Export PNG" buttons.
class ChartCard : public QFrame {
    Q_OBJECT

public:
    ChartCard(const QString &title, const QString &fileStem, QWidget *content, std::function<ChartTable()> table,
              QWidget *parent = nullptr);

    QString title() const { return m_title; }
    QString fileStem() const { return m_fileStem; }
    QWidget *content() const { return m_content; }
    ChartTable table() const { return m_table(); }

    [[nodiscard]] core::Status exportCsv(const QString &path) const;
    [[nodiscard]] core::Status exportPng(const QString &path) const;

signals:
    void exportFailed(const QString &message); // translated
    void exported(const QString &path);

private:
    void chooseCsv();
    void choosePng();

    QString m_title;
    QString m_fileStem;
    QWidget *m_content;
    std::function<ChartTable()> m_table;
};

} // namespace signiq::console
