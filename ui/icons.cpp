// icons: loads the app's embedded SVG icons by name.
#include "ui/icons.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QIconEngine>
#include <QImage>
#include <QPainter>

// Q_INIT_RESOURCE must be used outside any namespace: it declares the resource's init function.
static void initPartitaUiResources() {
    Q_INIT_RESOURCE(icons);
}

namespace partita::ui {

namespace {

// The icons' stroke blue reads on light and dark windows but vanishes on the selection's blue, so
// in selected rows (QIcon::Selected) blue pixels turn white; red, green and amber parts keep their
// meaning.
class SelectionAwareIconEngine : public QIconEngine {
public:
    explicit SelectionAwareIconEngine(const QIcon& svg) : m_svg(svg) {}

    QIconEngine* clone() const override { return new SelectionAwareIconEngine(m_svg); }
    QString key() const override { return QStringLiteral("partitaSvg"); }
    QSize actualSize(const QSize& size, QIcon::Mode mode, QIcon::State state) override {
        return m_svg.actualSize(size, mode == QIcon::Selected ? QIcon::Normal : mode, state);
    }
    QList<QSize> availableSizes(QIcon::Mode, QIcon::State) override { return m_svg.availableSizes(); }

    QPixmap pixmap(const QSize& size, QIcon::Mode mode, QIcon::State state) override {
        if (mode != QIcon::Selected) return m_svg.pixmap(size, mode, state);
        return whitenBlue(m_svg.pixmap(size, QIcon::Normal, state));
    }

    void paint(QPainter* painter, const QRect& rect, QIcon::Mode mode, QIcon::State state) override {
        const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
        QPixmap pm = pixmap(rect.size() * dpr, mode, state);
        pm.setDevicePixelRatio(dpr);
        painter->drawPixmap(rect, pm);
    }

private:
    static QPixmap whitenBlue(const QPixmap& source) {
        QImage image = source.toImage().convertToFormat(QImage::Format_ARGB32);
        for (int y = 0; y < image.height(); ++y) {
            auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
            for (int x = 0; x < image.width(); ++x) {
                const QColor c = QColor::fromRgb(line[x]);
                // The stroke blue (#4a90d9, hue ~210) and its anti-aliased edges.
                if (qAlpha(line[x]) > 0 && c.hslHue() >= 195 && c.hslHue() <= 225 && c.hslSaturation() > 100)
                    line[x] = qRgba(255, 255, 255, qAlpha(line[x]));
            }
        }
        QPixmap result = QPixmap::fromImage(image);
        result.setDevicePixelRatio(source.devicePixelRatio());
        return result;
    }

    QIcon m_svg;
};

}  // namespace

void initResources() {
    static const bool done = [] {
        initPartitaUiResources();
        return true;
    }();
    (void)done;
}

QIcon icon(const QString& name) {
    initResources();
    // Icons are looked up often (every action, every navigator item); cache them so each SVG is
    // parsed once per process.
    static QHash<QString, QIcon> cache;
    const auto it = cache.constFind(name);
    if (it != cache.constEnd()) return *it;
    const QString path = QStringLiteral(":/icons/%1.svg").arg(name);
    QIcon result = QFile::exists(path) ? QIcon(new SelectionAwareIconEngine(QIcon(path))) : QIcon();
    cache.insert(name, result);
    return result;
}

QStringList iconNames() {
    initResources();
    QStringList names;
    const auto files = QDir(QStringLiteral(":/icons")).entryList({QStringLiteral("*.svg")}, QDir::Files, QDir::Name);
    for (const QString& file : files) names << file.chopped(4);
    return names;
}

}  // namespace partita::ui
