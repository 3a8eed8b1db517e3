package config

import (
	"reflect"
	"strings"
	"testing"
)

func TestLoadDiscord(t *testing.T) {
	t.Parallel()
	key := strings.Repeat("ab", 32)
	tests := []struct {
		name    string
		env     map[string]string
		want    Discord
		wantErr []string
	}{
		{name: "off", env: map[string]string{}, want: Discord{}},
		{name: "gateway", env: map[string]string{"DISCORD_BOT_TOKEN": "tok", "DISCORD_GUILD_ID": "123", "DISCORD_EPHEMERAL": "true"},
			want: Discord{BotToken: "tok", GuildID: "123", Ephemeral: true}},
		{name: "http interactions", env: map[string]string{"DISCORD_PUBLIC_KEY": key, "DISCORD_APP_ID": "42"},
			want: Discord{PublicKey: key, AppID: "42"}},
		{name: "shards", env: map[string]string{"DISCORD_BOT_TOKEN": "tok", "DISCORD_SHARD_ID": "1", "DISCORD_SHARD_COUNT": "4", "DISCORD_MESSAGE_CONTENT": "1"},
			want: Discord{BotToken: "tok", ShardID: 1, ShardCount: 4, MessageContent: true}},
		{name: "short key", env: map[string]string{"DISCORD_PUBLIC_KEY": "abcd", "DISCORD_APP_ID": "42"}, wantErr: []string{"64 hex"}},
		{name: "key without app", env: map[string]string{"DISCORD_PUBLIC_KEY": key}, wantErr: []string{"DISCORD_APP_ID is required"}},
		{name: "shard out of range", env: map[string]string{"DISCORD_SHARD_ID": "4", "DISCORD_SHARD_COUNT": "4"}, wantErr: []string{"DISCORD_SHARD_ID"}},
		{name: "bad bool", env: map[string]string{"DISCORD_EPHEMERAL": "sometimes"}, wantErr: []string{"DISCORD_EPHEMERAL"}},
		{name: "admins", env: map[string]string{"DISCORD_BOT_TOKEN": "tok", "DISCORD_ADMINS": "123456789012345678, 42"},
			want: Discord{BotToken: "tok", Admins: []string{"123456789012345678", "42"}}},
		{name: "bad admin ID", env: map[string]string{"DISCORD_ADMINS": "alice#1234"}, wantErr: []string{"DISCORD_ADMINS", "alice#1234"}},
		{name: "bad guild", env: map[string]string{"DISCORD_GUILD_ID": "my-server"}, wantErr: []string{"DISCORD_GUILD_ID"}},
		{name: "API URL gets its slash", env: map[string]string{"DISCORD_BOT_TOKEN": "tok", "DISCORD_API_URL": "http://127.0.0.1:7000/api/v9"},
			want: Discord{BotToken: "tok", APIURL: "http://127.0.0.1:7000/api/v9/"}},
		{name: "bad API URL", env: map[string]string{"DISCORD_API_URL": "discord.com/api/v9"}, wantErr: []string{"DISCORD_API_URL", "https://discord.com/api/v9/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.env["HOME"] = "/home/ann"
			got, err := Load(env(tt.env))
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("Load() = %+v, want an error", got.Discord)
				}
				for _, s := range tt.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not mention %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Load(): %v", err)
			}
			if !reflect.DeepEqual(got.Discord, tt.want) {
				t.Errorf("Discord = %+v, want %+v", got.Discord, tt.want)
			}
		})
	}
}
