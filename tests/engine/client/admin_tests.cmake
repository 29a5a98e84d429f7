# admin tests of engine/client.
