package ingest

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v3"
)

// maxFrontMatterLines bounds the search for the closing delimiter: a
// metadata block is a few dozen lines, and a file that opens with a rule
// ("---") and never closes it should not be scanned to its end.
const maxFrontMatterLines = 1000

// frontMatter splits a leading metadata block from text: YAML between
// "---" lines (Jekyll, Hugo, Obsidian; "..." may close it) or TOML
// between "+++" lines (Hugo, Zola), parsed by real YAML and TOML parsers.
// Keys are lower-cased; each value is its text as written, lists joined
// with ", "; nested tables are ignored. A block that is never closed, or
// a "---" block whose first line is not "key: value", is no front matter
// but a rule, and the text is returned whole. A block that is front
// matter but does not parse is an error, with its line in the file.
func frontMatter(text string) (map[string]string, string, error) {
	var delim string
	switch {
	case strings.HasPrefix(text, "---\n"):
		delim = "---"
	case strings.HasPrefix(text, "+++\n"):
		delim = "+++"
	default:
		return nil, text, nil
	}
	block, body, ok := cutBlock(text[len(delim)+1:], delim)
	if !ok || (delim == "---" && !startsWithKey(block)) {
		return nil, text, nil
	}
	// A leading newline stands for the opening delimiter, so the parsers'
	// line numbers are the file's.
	var fields map[string]string
	var err error
	if delim == "+++" {
		fields, err = tomlFields("\n" + block)
	} else {
		fields, err = yamlFields("\n" + block)
	}
	if err != nil {
		return nil, text, fmt.Errorf("front matter: %w", err)
	}
	return fields, body, nil
}

// cutBlock finds the line that closes a block opened by delim.
func cutBlock(rest, delim string) (block, body string, ok bool) {
	off := 0
	for n := 0; off < len(rest) && n < maxFrontMatterLines; n++ {
		line, _, _ := strings.Cut(rest[off:], "\n")
		end := off + len(line)
		if t := strings.TrimRight(line, " \t"); t == delim || (delim == "---" && t == "...") {
			return rest[:off], rest[min(end+1, len(rest)):], true
		}
		off = end + 1
	}
	return "", "", false
}

// startsWithKey reports whether the first line of a "---" block that is
// neither blank nor a comment reads "key:" or "key: value".
func startsWithKey(block string) bool {
	for line := range strings.Lines(block) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		return ok && k != "" && !strings.ContainsAny(k, " \t") && (v == "" || v[0] == ' ' || v[0] == '\t')
	}
	return false
}

// yamlFields reads a YAML mapping through yaml.Node, so that each scalar
// keeps its text as written: "id: 007" is "007", not the number 7.
func yamlFields(block string) (map[string]string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(block), &doc); err != nil {
		return nil, err
	}
	fields := map[string]string{}
	if len(doc.Content) == 0 {
		return fields, nil // only comments
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: want \"key: value\" lines, not a %s", m.Line, kindName(m.Kind))
	}
	first := map[string]int{} // key -> line
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], deref(m.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			continue
		}
		key := strings.ToLower(strings.TrimSpace(k.Value))
		if line, dup := first[key]; dup {
			return nil, fmt.Errorf("line %d: %q is given twice (first on line %d)", k.Line, k.Value, line)
		}
		first[key] = k.Line
		fields[key] = yamlText(v)
	}
	return fields, nil
}

// yamlText is a value's text: a scalar as written, a list's scalars
// joined with ", ", "" for anything else.
func yamlText(v *yaml.Node) string {
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Tag == "!!null" {
			return ""
		}
		return strings.TrimSpace(v.Value)
	case yaml.SequenceNode:
		var parts []string
		for _, e := range v.Content {
			if e = deref(e); e.Kind == yaml.ScalarNode && e.Tag != "!!null" && strings.TrimSpace(e.Value) != "" {
				parts = append(parts, strings.TrimSpace(e.Value))
			}
		}
		return strings.Join(parts, ", ")
	}
	return ""
}

// deref follows an alias ("*anchor") to the node it names.
func deref(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "single value"
	}
	return "YAML node"
}

// tomlFields reads a TOML table's top-level keys.
func tomlFields(block string) (map[string]string, error) {
	var m map[string]any
	if err := toml.Unmarshal([]byte(block), &m); err != nil {
		return nil, tomlError(err)
	}
	fields := make(map[string]string, len(m))
	for k, v := range m {
		fields[strings.ToLower(strings.TrimSpace(k))] = tomlText(v)
	}
	return fields, nil
}

// tomlError adds the line to go-toml's message, which leaves it out.
func tomlError(err error) error {
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, _ := de.Position()
		return fmt.Errorf("toml: line %d: %w", line, err)
	}
	return err
}

// tomlText is a TOML value's text: strings as they are, dates in RFC
// 3339, numbers and booleans as Go prints them, lists joined with ", ".
func tomlText(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case time.Time:
		return x.Format(time.RFC3339)
	case []any:
		var parts []string
		for _, e := range x {
			if _, nested := e.([]any); nested {
				continue
			}
			if s := tomlText(e); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ", ")
	case map[string]any, nil:
		return ""
	}
	return fmt.Sprint(v) // numbers, booleans, local dates and times
}

// applyFields copies front-matter fields into a; several spellings are
// accepted for each. A URL that is not http(s) ("n/a", a file path) is
// ignored: only a web address identifies an article or makes a link.
func applyFields(a *retrieval.Article, f map[string]string) error {
	pick := func(keys ...string) string {
		for _, k := range keys {
			if v := field(f[k]); v != "" {
				return v
			}
		}
		return ""
	}
	if id := strings.TrimSpace(f["id"]); id != "" {
		if err := checkID(id); err != nil {
			return fmt.Errorf("front matter: %w", err)
		}
		a.ID = id
	}
	a.Title = pick("title", "headline")
	a.URL = webURL(pick("url", "canonical", "link"))
	a.Outlet = pick("outlet", "source", "publisher", "site")
	a.Author = pick("author", "authors", "byline", "by")
	a.Category = pick("category", "section")
	a.Published = ParseDate(pick("published", "date", "pubdate", "published_at"))
	return nil
}
