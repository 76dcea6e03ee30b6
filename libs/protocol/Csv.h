#pragma once

#include "core/Result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace signiq::protocol {

// CSV as every Signiq export writes it: RFC 4180 quoting, and formula injection neutralised
// (OWASP "CSV injection"): a cell whose text starts with = + - @, a tab or a CR is written with a
// single quote in front, so a spreadsheet shows it as text and never runs it. A cell that starts
// with a quote gets one more, which makes the rule reversible: csvText() of a parsed cell gives
// back the exact text (the audit verifier reads its exports back and re-hashes every field).
QString csvCell(const QString &text);

// The text a parsed cell of csvCell() stood for: one leading single quote removed, if any.
QString csvText(const QString &cell);

// A whole row: csvCell() of each field, joined by commas (no line end).
QString csvRow(const QStringList &fields);

// RFC 4180 parser: fields may be quoted, quotes doubled, CR/LF/CRLF line ends, newlines inside
// quotes. Cells come back as written (apply csvText() to undo the neutralisation).
core::Result<QList<QStringList>> parseCsv(const QString &text);

} // namespace signiq::protocol
