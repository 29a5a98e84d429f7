# issue 11 fragment: the alert dashboard, the rule editor, notification settings and the tray.
find_package(Qt6 REQUIRED COMPONENTS Widgets)
target_sources(partita_ui PRIVATE
  alertdashboardpanel.cpp alertdashboardpanel.h
  alertruledialog.cpp alertruledialog.h
  notificationsettingsdialog.cpp notificationsettingsdialog.h
  alerttray.cpp alerttray.h
)
