# groups tests of engine/client.
