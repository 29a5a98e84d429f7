// showInUtc: a date-time field's switch between local time and UTC.
#pragma once

class QDateTimeEdit;

namespace partita::ui {

// Keeps the instant the field holds and shows (and takes) it in UTC or in local time.
void showInUtc(QDateTimeEdit* edit, bool utc);

}  // namespace partita::ui
