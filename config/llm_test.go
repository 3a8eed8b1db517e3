package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadLLM(t *testing.T) {
	t.Parallel()
	keyFile := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(keyFile, []byte("sk-from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		vars    map[string]string
		want    LLM
		enabled bool
		err     string
	}{
		{name: "off by default", vars: nil},
		{name: "key alone does not enable", vars: map[string]string{"OPENAI_API_KEY": "sk-1"}, want: LLM{APIKey: "sk-1"}},
		{name: "OpenAI", vars: map[string]string{"OPENAI_API_KEY": "sk-1", "BYLINE_CHAT_MODEL": " gpt-4o-mini "},
			want: LLM{APIKey: "sk-1", ChatModel: "gpt-4o-mini"}, enabled: true},
		{name: "Ollama", vars: map[string]string{"OPENAI_BASE_URL": "http://localhost:11434/v1", "BYLINE_CHAT_MODEL": "llama3.1", "BYLINE_LLM_TIMEOUT": "45s"},
			want: LLM{BaseURL: "http://localhost:11434/v1", ChatModel: "llama3.1", Timeout: 45 * time.Second}, enabled: true},
		{name: "key file", vars: map[string]string{"OPENAI_API_KEY_FILE": keyFile, "BYLINE_CHAT_MODEL": "m"},
			want: LLM{APIKey: "sk-from-file", ChatModel: "m"}, enabled: true},
		{name: "both key forms", vars: map[string]string{"OPENAI_API_KEY": "a", "OPENAI_API_KEY_FILE": keyFile}, err: "both OPENAI_API_KEY and OPENAI_API_KEY_FILE"},
		{name: "bad URL", vars: map[string]string{"OPENAI_BASE_URL": "localhost:11434"}, err: "OPENAI_BASE_URL must be"},
		{name: "embeddings", vars: map[string]string{"BYLINE_EMBED_MODEL": " nomic-embed-text ", "BYLINE_EMBED_BATCH": "32", "BYLINE_CHAT_CONTEXT": "32768"},
			want: LLM{EmbedModel: "nomic-embed-text", EmbedBatch: 32, ChatContext: 32768}},
		{name: "bad batch", vars: map[string]string{"BYLINE_EMBED_BATCH": "0"}, err: "invalid BYLINE_EMBED_BATCH \"0\": want a whole number from 1 to 2048"},
		{name: "huge batch", vars: map[string]string{"BYLINE_EMBED_BATCH": "5000"}, err: "invalid BYLINE_EMBED_BATCH"},
		{name: "tiny context", vars: map[string]string{"BYLINE_CHAT_CONTEXT": "512"}, err: "invalid BYLINE_CHAT_CONTEXT"},
		{name: "word context", vars: map[string]string{"BYLINE_CHAT_CONTEXT": "8k"}, err: "invalid BYLINE_CHAT_CONTEXT"},
		{name: "bad timeout", vars: map[string]string{"BYLINE_LLM_TIMEOUT": "soon"}, err: "invalid BYLINE_LLM_TIMEOUT"},
		{name: "zero timeout", vars: map[string]string{"BYLINE_LLM_TIMEOUT": "0s"}, err: "invalid BYLINE_LLM_TIMEOUT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars := map[string]string{"HOME": "/home/u"}
			for k, v := range tt.vars {
				vars[k] = v
			}
			got, err := Load(env(vars))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Load error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.LLM != tt.want || got.LLM.ChatEnabled() != tt.enabled {
				t.Errorf("LLM = %+v (enabled %v), want %+v (%v)", got.LLM, got.LLM.ChatEnabled(), tt.want, tt.enabled)
			}
		})
	}
}
