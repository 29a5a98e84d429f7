# consumer tests of engine/client.
