package storetest

// Fixtures for a backend's own tests (its migrations, its files), so
// they need not write articles of their own.
var (
	HarbourStrike = harbourStrike
	OrchardFrost  = orchardFrost
	BridgeVote    = bridgeVote
	SedanRecall   = sedanRecall
	ToyRecall     = toyRecall
	BusBrakes     = busBrakes
	UndatedNotice = undatedNotice
)
