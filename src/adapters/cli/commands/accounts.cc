// serve, and the accounts that use it: user create, list, deactivate, reactivate,
// reset-password, require-change; token issue, list, revoke; service list, rename.
#include <csignal>
#include <fstream>
#include <memory>
#include <thread>

#include "adapters/cli/commands/commands.h"
#include "adapters/crypto/sodium_passwords.h"
#include "adapters/http/server.h"
#include "adapters/mail/mail_loop.h"
#include "adapters/mail/smtp_sender.h"
#include "app/account_life.h"
#include "app/accounts.h"
#include "app/services.h"
#include "core/french.h"

namespace octroi::cli {
namespace {

struct AccountCommands : Area {
  using Area::Area;
  std::string listen = "127.0.0.1:8080";
  http::ServerOptions server_options;
  bool secure_cookies = false, insecure_cookies = false;
  int job_workers = 2;
  std::string portal_authority, portal_url;
  mail::SmtpOptions smtp;
  std::string smtp_password_file;
  int mail_every_ms = 2000;
  std::string clamd;
  int clamd_timeout_ms = 30000;
  UserInput user_in;
  std::string token_label, token_role, token_service, token_id, token_owner, token_expires;
  std::string target_login, typed_password, shown_once;
  bool generate_password = false;

  void serve_command(CLI::App& app) {
    auto* serve = app.add_subcommand("serve", "Démarre le serveur web et l'API JSON v1");
    add_db(serve, c);
    serve->add_option("--listen", listen, "Adresse et port (127.0.0.1:8080)");
    // The transport's limits (adapters/http/server.h), each with its unit.
    auto& o = server_options;
    serve
        ->add_option("--threads", o.threads,
                     "Fils qui traitent les requêtes complètes (8) ; les connexions ouvertes n'en "
                     "occupent aucun")
        ->check(CLI::Range(1, 256));
    serve
        ->add_option("--max-connections", o.max_connections,
                     "Connexions ouvertes au plus (4096) ; au-delà, réponse 503")
        ->check(CLI::Range(1, 1000000));
    serve
        ->add_option("--max-connections-per-address", o.max_connections_per_address,
                     "Connexions ouvertes au plus par adresse cliente (512) ; derrière un "
                     "mandataire inverse, à relever")
        ->check(CLI::Range(1, 1000000));
    serve
        ->add_option("--max-header", o.max_header_bytes,
                     "Taille maximale de la ligne de requête et des en-têtes, en octets (16 Kio)")
        ->check(CLI::Range(1024, 1024 * 1024));
    serve
        ->add_option("--max-body", o.max_body_bytes,
                     "Taille maximale d'un corps de requête, en octets, quel que soit son "
                     "découpage (1 Mio)")
        ->check(CLI::Range(1024, 64 * 1024 * 1024));
    serve
        ->add_option("--max-upload", o.max_upload_bytes,
                     "Taille maximale du corps d'un import de fichier (POST /imports, "
                     "/api/v1/imports), en octets (34 Mio : un fichier de 32 Mio et son "
                     "formulaire)")
        ->check(CLI::Range(1024, 256 * 1024 * 1024));
    serve
        ->add_option("--max-uploads", o.max_uploads,
                     "Imports de fichiers reçus à la fois ; au-delà, 503 (4)")
        ->check(CLI::Range(1, 1000));
    serve
        ->add_option("--header-timeout", o.header_timeout_s,
                     "Secondes pour recevoir les en-têtes d'une requête (10)")
        ->check(CLI::Range(1, 3600));
    serve
        ->add_option("--request-timeout", o.request_timeout_s,
                     "Secondes pour recevoir une requête entière (60)")
        ->check(CLI::Range(1, 3600));
    serve
        ->add_option("--keep-alive-timeout", o.keep_alive_timeout_s,
                     "Secondes d'attente d'une connexion inactive entre deux requêtes (5)")
        ->check(CLI::Range(1, 3600));
    serve
        ->add_option("--keep-alive-requests", o.keep_alive_max_requests,
                     "Requêtes servies par connexion avant de la fermer (1000)")
        ->check(CLI::Range(1, 100000));
    serve
        ->add_option("--job-workers", job_workers,
                     "Travaux d'arrière-plan menés à la fois (documents PDF, dossiers de séance) "
                     "(2)")
        ->check(CLI::Range(1, 64));
    serve
        ->add_option("--trusted-proxy", o.trusted_proxies,
                     "Adresse d'un mandataire inverse (nginx) dont on croit l'en-tête "
                     "X-Forwarded-For : l'adresse du client est alors sa dernière entrée "
                     "(répétable, ou séparées par des virgules)")
        ->delimiter(',');
    portal_options(serve);
    serve->add_flag("--secure-cookies", secure_cookies,
                    "Cookies toujours marqués Secure, même pour un client de cette machine (par "
                    "défaut : Secure sauf pour 127.0.0.1 et ::1)");
    serve->add_flag("--insecure-cookies", insecure_cookies,
                    "Cookies jamais marqués Secure (HTTP sans TLS sur un réseau : à éviter)");
    serve->callback([this] {
      action = [this] {
        if (!http::parse_listen(listen, server_options.host, server_options.port))
          throw UsageError("--listen « " + listen + " » : forme attendue HÔTE:PORT");
        for (const auto& proxy : server_options.trusted_proxies)
          if (!http::is_ip_address(proxy))
            throw UsageError("--trusted-proxy « " + proxy +
                             " » : adresse IP attendue (127.0.0.1, ::1…)");
        // SIGINT and SIGTERM stop the server gracefully: this thread waits for them while every
        // other thread serves. The mask is set before any thread exists (the store's writer, the
        // server's and the jobs' workers inherit it): a thread started earlier would take the
        // signal with its default action and kill the process mid-write.
        sigset_t signals;
        sigemptyset(&signals);
        sigaddset(&signals, SIGINT);
        sigaddset(&signals, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &signals, nullptr);
        auto store = stores::open(c.db, stores::OpenMode::Existing);
        crypto::SodiumPasswordHasher passwords;
        crypto::SodiumTokenSource tokens;
        http::ApiOptions api_options;
        if (secure_cookies && insecure_cookies)
          throw UsageError("--secure-cookies et --insecure-cookies s'excluent");
        api_options.secure_cookies = secure_cookies;
        api_options.insecure_cookies = insecure_cookies;
        api_options.job_workers = job_workers;
        api_options.log = &std::cerr;
        api_options.portal_authority = portal_authority;
        // The links of the e-mails: the public address given; without it, the e-mails name the
        // pages without a host (the address listened on is rarely the one applicants reach).
        api_options.portal.base_url = portal_url;
        api_options.clamd = clamd;
        api_options.clamd_timeout_ms = clamd_timeout_ms;
        http::Api api(*store, clock, passwords, tokens, api_options);
        std::unique_ptr<mail::SmtpSender> sender;
        std::unique_ptr<mail::MailLoop> mailer;
        if (!smtp.url.empty()) {
          if (smtp.from.empty()) throw UsageError("--smtp demande --mail-from");
          if (!smtp_password_file.empty()) smtp.password = read_secret(smtp_password_file);
          // A password never travels in clear: smtp:// with a user requires STARTTLS.
          if (!smtp.user.empty() && smtp.url.rfind("smtps://", 0) != 0) smtp.require_tls = true;
          sender = std::make_unique<mail::SmtpSender>(smtp);
          mailer =
              std::make_unique<mail::MailLoop>(*store, clock, *sender, mail_every_ms, &std::cerr);
        }
        http::Server server(api, server_options, &std::cerr);
        std::string error;
        if (!server.bind(error)) {
          std::cerr << "octroi serve : " << error << "\n";
          return kInfra;
        }
        api.start_jobs();  // also runs the jobs other processes on this database submitted
        if (mailer) mailer->start();
        std::thread serving([&] { server.run(); });
        std::cout << "octroi sert " << stores::display_name(c.db) << " sur http://"
                  << server_options.host << ":" << server.port() << "/ (API : /api/v1/, "
                  << "OpenAPI : /api/v1/openapi.json). Ctrl-C pour arrêter." << std::endl;
        int received = 0;
        sigwait(&signals, &received);
        std::cout << "Arrêt demandé : fin des requêtes en cours…" << std::endl;
        server.stop();
        serving.join();
        if (mailer) mailer->stop();
        return 0;
      };
    });
  }

  // The applicant portal (/portail) and its e-mails.
  void portal_options(CLI::App* serve) {
    serve->add_option("--portal-authority", portal_authority,
                      "Code de la collectivité que sert le portail des demandeurs (/portail) ; "
                      "par défaut, la seule de la base");
    serve->add_option("--portal-url", portal_url,
                      "Adresse publique du site, pour les liens des courriels "
                      "(https://aides.example.fr ; sans elle, les courriels nomment les pages "
                      "sans lien)");
    serve->add_option("--smtp", smtp.url,
                      "Serveur d'envoi des courriels (smtp://hôte:port, smtps://hôte:465) ; sans "
                      "lui, les courriels attendent dans la file d'envoi");
    serve->add_option("--mail-from", smtp.from, "Expéditeur des courriels (aides@example.fr)");
    serve->add_option("--smtp-user", smtp.user, "Identifiant SMTP");
    serve->add_option("--smtp-password-file", smtp_password_file,
                      "Fichier dont la première ligne est le mot de passe SMTP");
    serve->add_flag("--smtp-starttls", smtp.require_tls, "Exiger STARTTLS (smtp://)");
    serve->add_option("--clamd", clamd,
                      "Antivirus des fichiers des demandeurs : socket de clamd "
                      "(/run/clamav/clamd.ctl) ou hôte:port ; sans lui, les fichiers sont "
                      "enregistrés « non analysés »");
    serve
        ->add_option("--clamd-timeout-ms", clamd_timeout_ms,
                     "Délai d'une analyse par clamd, en millisecondes (30000)")
        ->check(CLI::Range(100, 600000));
    serve
        ->add_option("--mail-every-ms", mail_every_ms,
                     "Intervalle d'envoi de la file des courriels, en millisecondes (2000)")
        ->check(CLI::Range(50, 3600000));
  }

  static std::string read_secret(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    if (!in || !std::getline(in, line))
      throw UsageError("--smtp-password-file « " + path + " » : illisible");
    return line;
  }

  void user_commands(CLI::App& app) {
    auto* user = app.add_subcommand("user", "Comptes des agents");
    user->require_subcommand(1);
    auto* user_create = user->add_subcommand(
        "create", "Crée un compte (mot de passe lu sur l'entrée standard, première ligne)");
    add_common(user_create, c);
    user_create->add_option("--login", user_in.login, "Identifiant")->required();
    user_create->add_option("--name", user_in.display_name, "Nom affiché")->required();
    user_create
        ->add_option("--role", user_in.role,
                     "administrator, instructor, approver, clerk, finance ou reader")
        ->required();
    user_create->add_option("--service", user_in.service, "Service (instructeurs)");
    user_create->callback([this] {
      action = [this] {
        std::getline(std::cin, user_in.password);
        auto store = open_store();
        crypto::SodiumPasswordHasher passwords;
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return create_user(tx, ctx, user_in, passwords);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << "Compte créé : " << r->login << " (" << r->role << ")\n";
        return 0;
      };
    });
    auto* user_list = user->add_subcommand("list", "Liste les comptes (jamais leur mot de passe)");
    add_common(user_list, c);
    user_list->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = read(*store, c, [&](Transaction& tx, AuthorityId a) { return list_users(tx, a); });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        for (const auto& u : r.value())
          std::cout << u.login << "  " << u.display_name << "  " << u.role
                    << (u.service.empty() ? "" : " (" + u.service + ")")
                    << (u.active ? "  actif" : "  désactivé")
                    << (u.must_change_password ? "  mot de passe à changer" : "") << "\n";
        return 0;
      };
    });
    life_command(user, "deactivate",
                 "Désactive un compte : ses sessions prennent fin, ses jetons sont révoqués",
                 [this](Transaction& tx, const Context& ctx) -> Result<std::string> {
                   auto d = deactivate_user(tx, ctx, target_login, 0);
                   if (!d.ok()) return d.refusal();
                   return "Compte " + d->user.login + " désactivé ; " +
                          std::to_string(d->tokens_revoked) + " jeton(s) révoqué(s).";
                 });
    life_command(user, "reactivate", "Réactive un compte désactivé",
                 [this](Transaction& tx, const Context& ctx) -> Result<std::string> {
                   auto u = reactivate_user(tx, ctx, target_login);
                   if (!u.ok()) return u.refusal();
                   return "Compte " + u->login + " réactivé.";
                 });
    life_command(user, "require-change",
                 "Impose au compte de changer de mot de passe avant toute autre action",
                 [this](Transaction& tx, const Context& ctx) -> Result<std::string> {
                   auto u = require_password_change(tx, ctx, target_login, 0);
                   if (!u.ok()) return u.refusal();
                   return "Compte " + u->login +
                          " : nouveau mot de passe exigé à la prochaine "
                          "action.";
                 });
    auto* reset = life_command(
        user, "reset-password",
        "Réinitialise le mot de passe d'un compte (lu sur l'entrée standard, ou tiré au hasard "
        "avec --generate) ; il devra le changer à sa prochaine connexion",
        [this](Transaction& tx, const Context& ctx) -> Result<std::string> {
          if (!generate_password && typed_password.empty())
            return refuse("user.password_short", "password",
                          "Mot de passe vide sur l'entrée standard : donnez-le, ou --generate.");
          crypto::SodiumPasswordHasher passwords;
          crypto::SodiumTokenSource tokens;
          auto r = reset_password(tx, ctx, target_login, generate_password ? "" : typed_password, 0,
                                  passwords, tokens);
          if (!r.ok()) return r.refusal();
          shown_once = r->temporary_password;  // printed once committed
          return "Mot de passe de " + r->user.login +
                 " réinitialisé : à changer à la prochaine connexion ; ses sessions sont closes.";
        });
    reset->add_flag("--generate", generate_password,
                    "Tire un mot de passe au hasard et l'affiche une seule fois");
  }

  // `octroi user <name> --login L`: one act of the accounts' life cycle, its message on stderr.
  using LifeAct = std::function<Result<std::string>(Transaction&, const Context&)>;
  CLI::App* life_command(CLI::App* user, const char* name, const char* help, LifeAct act) {
    auto* cmd = user->add_subcommand(name, help);
    add_common(cmd, c);
    cmd->add_option("--login", target_login, "Identifiant du compte")->required();
    cmd->callback([this, act, name] {
      action = [this, act, name] {
        // Read before the transaction: a write transaction never waits for a terminal.
        if (std::string(name) == "reset-password" && !generate_password)
          std::getline(std::cin, typed_password);
        auto store = open_store();
        auto r = write(*store, clock, c, act);
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        if (!shown_once.empty()) std::cout << shown_once << "\n";
        std::cerr << r.value() << "\n";
        return 0;
      };
    });
    return cmd;
  }

  void token_commands(CLI::App& app) {
    auto* token = app.add_subcommand("token", "Jetons d'accès à l'API");
    token->require_subcommand(1);
    auto* token_issue =
        token->add_subcommand("issue", "Émet un jeton d'API (affiché une seule fois)");
    add_common(token_issue, c);
    token_issue->add_option("--label", token_label, "Libellé (application cliente)")->required();
    token_issue
        ->add_option("--owner", token_owner,
                     "Identifiant du compte titulaire : le jeton agit dans ses droits et cesse "
                     "avec lui")
        ->required();
    token_issue->add_option("--role", token_role,
                            "Rôle du jeton : celui du titulaire (par défaut) ou reader");
    token_issue->add_option(
        "--service", token_service,
        "Service instructeur (celui du titulaire, pour un jeton d'instructeur)");
    token_issue->add_option("--expires", token_expires,
                            "Dernier jour de validité, AAAA-MM-JJ ou JJ/MM/AAAA (dans 90 jours par "
                            "défaut, 366 au plus)");
    token_issue->callback([this] {
      action = [this] {
        auto store = open_store();
        crypto::SodiumTokenSource tokens;
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return issue_api_token(
              tx, ctx, {token_label, token_owner, token_role, token_service, token_expires}, 0,
              tokens, store->hasher());
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << r->token << "\n";
        std::cerr << "Jeton n° " << r->record.id << " (" << r->record.label << ", "
                  << r->record.role << ", de " << r->record.owner_login << ", valable jusqu'au "
                  << fr::date_long(r->record.expires_at.day().add_days(-1))
                  << " inclus) : affiché une seule fois, gardez-le.\n";
        return 0;
      };
    });
    auto* token_list = token->add_subcommand("list", "Liste les jetons d'API (jamais leur valeur)");
    add_common(token_list, c);
    token_list->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r =
            read(*store, c, [&](Transaction& tx, AuthorityId a) { return list_api_tokens(tx, a); });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        for (const auto& t : r.value())
          std::cout << t.id << "  " << t.label << "  " << t.role
                    << (t.service.empty() ? "" : " (" + t.service + ")") << "  de "
                    << (t.owner_login.empty() ? "(aucun compte)" : t.owner_login) << "  émis le "
                    << t.created_at.iso() << "  valable jusqu'au "
                    << fr::date_long(t.expires_at.day().add_days(-1)) << " inclus"
                    << (t.revoked_at                  ? "  révoqué le " + t.revoked_at->iso()
                        : clock.now() >= t.expires_at ? std::string("  expiré")
                                                      : std::string(""))
                    << "\n";
        return 0;
      };
    });
    auto* token_revoke = token->add_subcommand("revoke", "Révoque un jeton d'API (définitif)");
    add_common(token_revoke, c);
    token_revoke->add_option("--id", token_id, "Numéro du jeton (token list)")->required();
    token_revoke->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return revoke_api_token(tx, ctx, token_id);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << "Jeton n° " << r->id << " (" << r->label << ") révoqué.\n";
        return 0;
      };
    });
  }
};

// service list, service rename FROM TO (app/services.h).
struct ServiceCommands : Area {
  using Area::Area;
  std::string from, to;

  void add(CLI::App& app) {
    auto* service = app.add_subcommand("service", "Services instructeurs");
    service->require_subcommand(1);
    auto* list = service->add_subcommand("list", "Liste les services et ce que chacun instruit");
    add_common(list, c);
    list->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = read(*store, c, [&](Transaction& tx, AuthorityId a) -> Result<int> {
          for (const auto& s : list_services(tx, a, clock.now()))
            std::cout << s.name << " : " << s.schemes << " dispositif(s), " << s.instructors
                      << " instructeur(s) actif(s), " << s.tokens << " jeton(s) actif(s)\n";
          return 0;
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        return 0;
      };
    });
    auto* rename = service->add_subcommand(
        "rename", "Renomme un service sur ses dispositifs, ses comptes et ses jetons");
    rename->add_option("from", from, "Nom actuel du service")->required();
    rename->add_option("to", to, "Nouveau nom")->required();
    add_common(rename, c);
    rename->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return rename_service(tx, ctx, from, to);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << "Service « " << from << " » renommé « " << r->name << " » : " << r->schemes
                  << " dispositif(s), " << r->instructors << " instructeur(s).\n";
        return 0;
      };
    });
  }
};

}  // namespace

void add_account_commands(CLI::App& app, Env& env) {
  auto& area = env.keep<AccountCommands>(env);
  area.serve_command(app);
  area.user_commands(app);
  area.token_commands(app);
  env.keep<ServiceCommands>(env).add(app);
}

}  // namespace octroi::cli
