package analysis

// stopWords are words that carry no meaning for retrieval: the Snowball
// English list plus the words people use to phrase a question to a bot
// ("tell me", "how many"). They are neither indexed nor searched.
// "Against" is not one, though Snowball lists it: "who is against the
// tunnel?" asks for those who are, and "against Ireland" names an
// opponent.
var stopWords = map[string]bool{}

func init() {
	for _, w := range []string{
		// Snowball English stop list.
		"i", "me", "my", "myself", "we", "us", "our", "ours", "ourselves", "you", "your",
		"yours", "yourself", "yourselves", "he", "him", "his", "himself", "she",
		"her", "hers", "herself", "it", "its", "itself", "they", "them", "their",
		"theirs", "themselves", "what", "which", "who", "whom", "this", "that",
		"these", "those", "am", "is", "are", "was", "were", "be", "been", "being",
		"have", "has", "had", "having", "do", "does", "did", "doing", "would",
		"should", "could", "ought", "i'm", "you're", "he's", "she's", "it's",
		"we're", "they're", "i've", "you've", "we've", "they've", "i'd", "you'd",
		"he'd", "she'd", "we'd", "they'd", "i'll", "you'll", "he'll", "she'll",
		"we'll", "they'll", "isn't", "aren't", "wasn't", "weren't", "hasn't",
		"haven't", "hadn't", "doesn't", "don't", "didn't", "won't", "wouldn't",
		"shan't", "shouldn't", "can't", "cannot", "couldn't", "mustn't", "let's",
		"that's", "who's", "what's", "here's", "there's", "when's", "where's",
		"why's", "how's", "a", "an", "the", "and", "but", "if", "or", "because",
		"as", "until", "while", "of", "at", "by", "for", "with", "about",
		"between", "into", "through", "during", "before", "after",
		"above", "below", "to", "from", "up", "down", "in", "out", "on", "off",
		"over", "under", "again", "further", "then", "once", "here", "there",
		"when", "where", "why", "how", "all", "any", "both", "each", "few",
		"more", "most", "other", "some", "such", "no", "nor", "not", "only",
		"own", "same", "so", "than", "too", "very", "s", "t", "can", "will",
		"just", "don", "now", "d", "ll", "m", "o", "re", "ve", "y",
		// Contractions after fold() drops the apostrophe.
		"im", "youre", "hes", "shes", "were", "theyre", "ive", "youve", "weve",
		"theyve", "isnt", "arent", "wasnt", "werent", "hasnt", "havent", "hadnt",
		"doesnt", "dont", "didnt", "wont", "wouldnt", "shouldnt", "cant",
		"couldnt", "lets", "thats", "whats", "heres", "theres", "wheres", "whos",
		// Question phrasing.
		"many", "much", "whose", "tell", "please", "did", "does", "also",
		"according", "yet", "ever", "whats", "kind", "type", "happen", "happened",
		"happens", "happening",
		// Placeholders that name nothing: "the phishing thing". Over an
		// index without them, a typing-slip correction took "thing" for
		// "thinned".
		"thing", "things", "stuff",
		// Chat: greetings, thanks and shorthand that frame a message, not
		// its subject ("hey, who won? thx"). On an index without them they
		// were words no article has, and the question was refused.
		"hey", "hi", "hello", "hiya", "thanks", "thx", "thnx", "ty", "tia",
		"pls", "plz", "lol", "haha", "hehe", "btw", "fyi", "ok", "okay", "idk",
		"iirc", "afaik", "tbh", "imo", "anyone", "anybody", "someone", "somebody",
		"yo", "gonna", "wanna", "gotta", "kinda", "sorta", "dunno", "tho",
	} {
		stopWords[w] = true
	}
}

// IsStop reports whether a folded word is a stop word.
func IsStop(word string) bool { return stopWords[word] }
