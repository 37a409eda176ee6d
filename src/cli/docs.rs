//! What the command line says about itself: the help's footer (variables, config file, exit
//! codes), shell completions, the manual page, and "did you mean" for a mistyped subcommand.

use crate::store::config::{ENV_BASE_URL, ENV_PASSWORD, ENV_USERNAME, closest};
use crate::store::paths;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// The exit codes, as `--help` and the manual page list them.
pub const EXIT_CODES: &str = "\
Exit codes:
  0    success (send: the API accepted the message)
  1    rejected: validation errors, or any 4xx from the API (400, 401, 403, 404, 429, ...)
  2    usage, config or file errors; a send refused before it left
  3    send: no usable answer (network failure, timeout, 5xx, an answer that is not the
       API's); the message may or may not have been delivered
  130  send: interrupted with Ctrl-C (a request in flight may have arrived; the history
       records it as cancelled)";

/// The footer of `--help`: the environment variables, the config file's path, exit codes.
pub fn help_footer() -> String {
    format!(
        "Environment:
  {ENV_BASE_URL}   the API root (beats the default profile's base_url)
  {ENV_USERNAME}   the API key
  {ENV_PASSWORD}   the API secret
  SSL_CERT_FILE, SSL_CERT_DIR   certificate authorities to trust instead of the system's
  HTTPS_PROXY, HTTP_PROXY, NO_PROXY   proxies for https to other hosts
  NO_COLOR   no colour (and no pictures in the composer's preview)
  RCS_COMPOSER_GRAPHICS   halfblocks: draw pictures with half-blocks without asking the
                          terminal; ask: ask any terminal for kitty or sixel graphics
  XDG_CONFIG_HOME, XDG_DATA_HOME   where the config, drafts and history live

  Order: command-line options, then the environment, then the profile (a profile named
  with --profile beats the environment).

Config file: {}
Drafts and history: {}

{EXIT_CODES}",
        paths::config_file().display(),
        paths::data_dir().display()
    )
}

/// `rcs-composer completions SHELL`.
pub fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut cmd = super::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut cmd, "rcs-composer", &mut out);
    let _ = out.flush();
    ExitCode::SUCCESS
}

/// `rcs-composer man [SUBCOMMAND]`: roff on standard output.
pub fn man(subcommand: Option<&str>) -> ExitCode {
    let cmd = super::command().after_long_help(help_footer());
    let page = match subcommand {
        None => cmd,
        Some(name) => match cmd.find_subcommand(name) {
            Some(sub) => sub
                .clone()
                .name(format!("rcs-composer-{name}"))
                .bin_name(format!("rcs-composer {name}")),
            None => {
                eprintln!(
                    "rcs-composer man: there is no subcommand '{name}'; the subcommands are {}",
                    super::SUBCOMMANDS.join(", ")
                );
                return ExitCode::from(2);
            }
        },
    };
    let mut buf = Vec::new();
    if let Err(e) = clap_mangen::Man::new(page).render(&mut buf) {
        eprintln!("rcs-composer man: {e}");
        return ExitCode::from(1);
    }
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(&buf);
    let _ = out.flush();
    ExitCode::SUCCESS
}

/// When FILE (the composer's draft) is no file but looks like a mistyped subcommand
/// (`sandox`), what to say instead of opening a new draft by that name.
pub fn mistyped_subcommand(file: &Path) -> Option<String> {
    if file.exists() {
        return None;
    }
    let word = file.to_str()?;
    if word.contains(['/', '.', '\\']) {
        return None;
    }
    let sub = closest(word, super::SUBCOMMANDS)?;
    Some(format!(
        "rcs-composer: '{word}' is not a subcommand; did you mean `rcs-composer {sub}`? \
         (To start a new draft with that name, write ./{word} or {word}.json.)"
    ))
}
