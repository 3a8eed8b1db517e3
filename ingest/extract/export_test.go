package extract

// MaxElements is exported to the tests of package extract_test.
const MaxElements = maxElements
