// showInUtc: the same instant, entered in the other zone.
#include "ui/utctoggle.h"

#include <QDateTime>
#include <QDateTimeEdit>

namespace partita::ui {

void showInUtc(QDateTimeEdit* edit, bool utc) {
    const QDateTime shown = edit->dateTime();
    edit->setTimeSpec(utc ? Qt::UTC : Qt::LocalTime);
    edit->setDateTime(utc ? shown.toUTC() : shown.toLocalTime());
}

}  // namespace partita::ui
