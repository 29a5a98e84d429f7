// Tests of applyKeyedDiff: a refresh becomes removals, insertions and dataChanged, never a reset.
#include "models/keyeddiff.h"

#include <QAbstractItemModelTester>
#include <QAbstractListModel>
#include <QPersistentModelIndex>
#include <QSignalSpy>
#include <QTest>

using partita::models::applyKeyedDiff;
using partita::models::KeyedDiffHooks;

namespace {

struct Item {
    int key = 0;
    QString value;
    friend bool operator==(const Item&, const Item&) = default;
};

// The smallest model that refreshes through applyKeyedDiff.
class ItemModel : public QAbstractListModel {
public:
    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(m_rows.size()); }
    QVariant data(const QModelIndex& index, int role) const override {
        if (!index.isValid() || role != Qt::DisplayRole) return {};
        const Item& item = m_rows[size_t(index.row())];
        return QStringLiteral("%1=%2").arg(item.key).arg(item.value);
    }
    void refresh(std::vector<Item> items) {
        const KeyedDiffHooks hooks{[this](int f, int l) { beginRemoveRows({}, f, l); }, [this] { endRemoveRows(); },
                                   [this](int f, int l) { beginInsertRows({}, f, l); }, [this] { endInsertRows(); }};
        applyKeyedDiff(*this, hooks, m_rows, std::move(items), [](const Item& i) { return i.key; });
    }
    QStringList texts() const {
        QStringList out;
        for (int r = 0; r < rowCount(); ++r) out << data(index(r), Qt::DisplayRole).toString();
        return out;
    }

private:
    std::vector<Item> m_rows;
};

}  // namespace

class KeyedDiffTest : public QObject {
    Q_OBJECT
private slots:
    void insertsRemovesAndChangesWithoutReset() {
        ItemModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

        // Unsorted input comes out sorted by key.
        model.refresh({{5, "e"}, {1, "a"}, {3, "c"}});
        QCOMPARE(model.texts(), QStringList({"1=a", "3=c", "5=e"}));
        QCOMPARE(inserted.count(), 1);

        QPersistentModelIndex five(model.index(2));
        QPersistentModelIndex three(model.index(1));
        inserted.clear();

        // Insert 2 and 4 between, 6 at the end; remove 1; change 3.
        model.refresh({{2, "b"}, {3, "C"}, {4, "d"}, {5, "e"}, {6, "f"}});
        QCOMPARE(model.texts(), QStringList({"2=b", "3=C", "4=d", "5=e", "6=f"}));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.count(), 3);  // 2, 4 and 6 are separate runs
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 1);
        QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 1);
        QVERIFY(five.isValid());
        QCOMPARE(five.row(), 3);
        QCOMPARE(five.data().toString(), QStringLiteral("5=e"));
        QCOMPARE(three.data().toString(), QStringLiteral("3=C"));

        // The same list again: no signal at all.
        inserted.clear();
        removed.clear();
        changed.clear();
        model.refresh({{2, "b"}, {3, "C"}, {4, "d"}, {5, "e"}, {6, "f"}});
        QCOMPARE(inserted.count() + removed.count() + changed.count(), 0);

        // Everything gone but 5, then empty.
        model.refresh({{5, "e"}});
        QCOMPARE(model.texts(), QStringList({"5=e"}));
        QCOMPARE(removed.count(), 2);  // [2..4] and [6]
        QCOMPARE(five.row(), 0);
        model.refresh({});
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!five.isValid());
        QCOMPARE(reset.count(), 0);
    }

    void contiguousChangesAreOneSignal() {
        ItemModel model;
        model.refresh({{1, "a"}, {2, "b"}, {3, "c"}, {4, "d"}});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.refresh({{1, "A"}, {2, "B"}, {3, "c"}, {4, "D"}});
        QCOMPARE(changed.count(), 2);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 0);
        QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 1);
        QCOMPARE(changed.at(1).at(0).value<QModelIndex>().row(), 3);
    }

    void duplicateKeysKeepTheFirst() {
        ItemModel model;
        model.refresh({{1, "a"}, {1, "x"}, {2, "b"}});
        QCOMPARE(model.texts(), QStringList({"1=a", "2=b"}));
    }
};

QTEST_GUILESS_MAIN(KeyedDiffTest)
#include "keyeddiff_test.moc"
