// Lookup in the generated API table.
#include "engine/protocol/apiregistry.h"

namespace partita::protocol {

const ApiInfo* findApi(int16_t key) {
    auto apis = allApis();
    // Keys are dense from 0, but do not rely on it.
    if (key >= 0 && static_cast<size_t>(key) < apis.size() && apis[static_cast<size_t>(key)].key == key)
        return &apis[static_cast<size_t>(key)];
    for (const ApiInfo& api : apis)
        if (api.key == key) return &api;
    return nullptr;
}

}  // namespace partita::protocol
