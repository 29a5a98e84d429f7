# producer tests of engine/client.
