// The translation unit that builds the test programs' shared precompiled header
// (tune_test_pch in tests/CMakeLists.txt); it holds no code of its own.
