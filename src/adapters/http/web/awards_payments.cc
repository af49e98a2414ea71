// Awards: every award (/conventions), and a dossier's agreement and payments
// (/dossiers/{number}/aide: draft, signatures, advance, interim, balance).
#include <cstddef>
#include <optional>
#include <string>

#include "adapters/http/web/pages.h"
#include "app/portal.h"
#include "core/french.h"

namespace octroi::http::pages {
namespace {

HttpResponse award_page(WebContext& w, const std::string& number, const Principal& who,
                        const Refusal* refusal = nullptr, const std::string& flash = "") {
  auto v =
      run_read(w.store, [&](Transaction& tx) { return show_award(tx, who.authority, number); });
  if (!v.ok()) return w.not_found(who, v.refusal());
  const AwardView& av = v.value();
  const auto& app = av.dossier.application;
  const bool finance = permits(who.role, Action::ManagePayments);
  const bool awarded = app.state() == ApplicationState::Awarded;
  mstch::array payments, clawbacks, amendments;
  for (const auto& p : av.payments)
    payments.push_back(mstch::map{
        {"date", fr::date_long(p.requested_on)},
        {"kind", std::string(french(p.kind))},
        {"realised", p.realised_eligible ? fr::euros(*p.realised_eligible) : std::string("—")},
        {"amount", fr::euros(p.amount)},
        {"reference", p.reference}});
  for (const auto& c : av.clawbacks)
    clawbacks.push_back(mstch::map{{"date", fr::date_long(c.decided_on)},
                                   {"amount", fr::euros(c.amount)},
                                   {"reason", c.reason},
                                   {"reference", c.reference}});
  for (const auto& am : av.amendments)
    amendments.push_back(mstch::map{{"number", std::to_string(am.number)},
                                    {"kind", std::string(am.kind == "transfer" ? "transfert"
                                                         : am.kind == "amount" ? "montant"
                                                                               : "prolongation")},
                                    {"deliberation", am.deliberation},
                                    {"date", fr::date_long(am.approved_on)}});
  mstch::map ctx{{"number", app.number},
                 {"title", app.project.title},
                 {"party", av.dossier.party.legal_name},
                 {"state", std::string(french(app.state()))},
                 {"awarded", app.award ? fr::euros(app.award->amount) : std::string("—")},
                 {"paid", fr::euros(av.paid)},
                 {"remaining", fr::euros(av.remaining)},
                 {"payments", payments},
                 {"clawbacks", clawbacks},
                 {"has_clawbacks", !clawbacks.empty()},
                 {"amendments", amendments},
                 {"has_amendments", !amendments.empty()},
                 {"can_draft", finance && awarded},
                 {"can_pay", finance && awarded && av.agreement && av.agreement->is_signed()},
                 {"payment_key", w.tokens.token()},  // one per form shown: a resubmission is seen
                 // The dates are filled with today's, shown: an empty date is no longer a silent
                 // "today" whose year then chooses the budget line.
                 {"today", fr::date_short(w.clock.today())},
                 {"csrf", who.csrf_token}};
  if (app.award) {
    ctx["deliberation"] = app.award->deliberation;
    ctx["award_date"] = fr::date_long(app.award->date);
  }
  const auto claims =
      run_read(w.store, [&](Transaction& tx) { return payment_claims(tx, who.authority, app.id); });
  // A claim waiting can always be refused (even once a balance paid by hand closed the dossier).
  ctx["claims"] =
      claim_rows(claims, finance, who.csrf_token, "/dossiers/" + app.number + "/aide/demandes/",
                 fr::date_short(w.clock.today()));
  ctx["has_claims"] = !claims.empty();
  if (av.agreement) {
    const Agreement& ag = *av.agreement;
    auto signed_on = [](const std::optional<Date>& d) {
      return d ? "le " + fr::date_long(*d) : std::string("attendue");
    };
    ctx["agreement"] = mstch::map{
        {"model", ag.model_deliberation.empty() ? std::string("—") : ag.model_deliberation},
        {"start", fr::date_long(ag.eligibility_start)},
        {"end", fr::date_long(ag.eligibility_end)},
        {"beneficiary_signed", signed_on(ag.signed_by_beneficiary_on)},
        {"authority_signed", signed_on(ag.signed_by_authority_on)},
        {"signed", ag.is_signed()},
        {"can_sign", finance && awarded && !ag.is_signed()},
        {"number", app.number},
        {"csrf", who.csrf_token}};
  }
  return w.page("award", "Convention et versements " + number, ctx, &who, refusal,
                refusal ? 422 : 200, flash);
}

HttpResponse awards(WebContext& w, const Principal& who) {
  auto list = run_read(w.store, [&](Transaction& tx) { return list_awards(tx, who.authority); });
  if (!list.ok()) return w.not_found(who, list.refusal());
  mstch::array rows;
  for (const auto& av : list->awards) {
    const auto& app = av.dossier.application;
    rows.push_back(
        mstch::map{{"number", app.number},
                   {"party", av.dossier.party.legal_name},
                   {"state", std::string(french(app.state()))},
                   {"agreement", std::string(!av.agreement               ? "à établir"
                                             : av.agreement->is_signed() ? "signée"
                                                                         : "en signature")},
                   {"awarded", app.award ? fr::euros(app.award->amount) : std::string("—")},
                   {"paid", fr::euros(av.paid)},
                   {"remaining", fr::euros(av.remaining)}});
  }
  return w.page("awards", "Conventions et versements",
                {{"awards", rows},
                 {"count", std::to_string(rows.size())},
                 {"total_awarded", fr::euros(list->total_awarded)},
                 {"total_paid", fr::euros(list->total_paid)},
                 {"total_remaining", fr::euros(list->total_remaining)}},
                &who);
}

constexpr FormField<AgreementInput> kAgreementForm[] = {
    {"eligibility_start", &AgreementInput::eligibility_start},
    {"eligibility_end", &AgreementInput::eligibility_end},
};
constexpr FormField<SignatureInput> kSignatureForm[] = {
    {"signatory", &SignatureInput::signatory},
    {"on", &SignatureInput::on},
};
constexpr FormField<PaymentInput> kPaymentForm[] = {
    {"kind", &PaymentInput::kind},           {"amount", &PaymentInput::amount},
    {"realised", &PaymentInput::realised},   {"on", &PaymentInput::on},
    {"reference", &PaymentInput::reference},
};

// A form of the award page: reads its fields, calls its use case on the dossier; refused, the
// award page again with the refusal, else back to it with `flag` (its message).
template <class Input, std::size_t N, class UseCase>
HttpResponse award_form(WebContext& w, RouteCall& c, const FormField<Input> (&fields)[N],
                        UseCase use_case, const std::string& flag) {
  const std::string& number = c.param("number");
  const Principal& who = c.caller();
  const Input in = read_form(c.request, fields);
  const Context ctx = w.context(who);
  auto done = run_write(w.store, [&](Transaction& tx) { return use_case(tx, ctx, number, in); });
  if (!done.ok()) return award_page(w, number, who, &done.refusal());
  return redirect("/dossiers/" + url_encode(number) + "/aide?" + flag + "=1");
}

// POST …/aide/versement: the form carries a one-time key (issue 16, finding 4). The first post
// of a key records the payment and the answer (in idempotency_keys, as the API's keys); the same
// form posted again (a double click, a reload) gets that answer and pays nothing; the key with
// other fields is refused.
HttpResponse payment_form(WebContext& w, RouteCall& c) {
  const std::string& number = c.param("number");
  const Principal& who = c.caller();
  const std::string key = param(c.request, "cle");
  if (key.size() != 64 || key.find_first_not_of("0123456789abcdef") != std::string::npos) {
    const Refusal refused = refuse("payment.key_required", "cle",
                                   "Ce formulaire de versement est incomplet (sa clé à usage "
                                   "unique manque) : rechargez la page.");
    return award_page(w, number, who, &refused);
  }
  const PaymentInput in = read_form(c.request, kPaymentForm);
  const std::string request_hash =
      w.store.hasher().sha256_hex("versement\n" + number + "\n" + in.kind + "\n" + in.amount +
                                  "\n" + in.realised + "\n" + in.on + "\n" + in.reference);
  const Context ctx = w.context(who);
  const std::string location = "/dossiers/" + url_encode(number) + "/aide?versement=1";
  std::optional<Refusal> refused;
  std::string replayed;
  end_shared_read(w.store);
  w.store.write([&](Transaction& tx) {
    if (auto seen = tx.accounts().find_idempotency(who.authority, "web:" + key)) {
      if (seen->request_hash == request_hash)
        replayed = seen->response_body;
      else
        refused = refuse("idempotency.mismatch", "cle",
                         "Ce formulaire a déjà servi pour un autre versement : rechargez la page.");
      return false;
    }
    auto done = request_payment(tx, ctx, number, in);
    if (!done.ok()) {
      refused = done.refusal();
      return false;
    }
    tx.accounts().insert_idempotency(
        {who.authority, "web:" + key, request_hash, 303, location, ctx.clock->now()});
    return true;
  });
  if (refused) return award_page(w, number, who, &*refused);
  return redirect(replayed.empty() ? location : replayed);
}

// POST …/aide/demandes/{id}/paiement | refus: an agent pays the applicant's claim, or refuses it.
HttpResponse claim_decision(WebContext& w, RouteCall& c, bool pay) {
  const std::string& number = c.param("number");
  const Principal& who = c.caller();
  const std::string& typed = c.param("id");
  const bool digits = !typed.empty() && typed.size() <= 18 &&
                      typed.find_first_not_of("0123456789") == std::string::npos;
  const std::int64_t id = digits ? std::stoll(typed) : 0;
  const Context ctx = w.context(who);
  const auto decided = run_write(w.store, [&](Transaction& tx) -> Result<Done> {
    if (pay) {
      auto r = pay_claim(tx, ctx, number, id, param(c.request, "on"));
      if (!r.ok()) return r.refusal();
    } else {
      auto r = refuse_claim(tx, ctx, number, id, param(c.request, "reason"));
      if (!r.ok()) return r.refusal();
    }
    return done();
  });
  if (!decided.ok()) return award_page(w, number, who, &decided.refusal());
  return redirect("/dossiers/" + url_encode(number) + "/aide?" + (pay ? "versement=1" : "refus=1"));
}

}  // namespace

void add_award_pages(Router& router, WebContext& w) {
  router.add({"GET", "/conventions", Access::needs(Action::Read), "Les aides attribuées"},
             [&w](RouteCall& c) { return awards(w, c.caller()); });
  router.add({"GET", "/dossiers/{number}/aide", Access::needs(Action::Read),
              "La convention et les versements d'un dossier"},
             [&w](RouteCall& c) {
               return award_page(w, c.param("number"), c.caller(), nullptr,
                                 flash_of(c.request, {{"convention", "Convention établie."},
                                                      {"signature", "Signature enregistrée."},
                                                      {"versement", "Versement enregistré."},
                                                      {"refus",
                                                       "Demande de versement refusée ; "
                                                       "le demandeur en est prévenu."}}));
             });
  router.add({"POST", "/dossiers/{number}/aide/convention", Access::needs(Action::ManagePayments),
              "Établir la convention"},
             [&w](RouteCall& c) {
               return award_form(w, c, kAgreementForm, create_agreement, "convention");
             });
  router.add(
      {"POST", "/dossiers/{number}/aide/signature", Access::needs(Action::ManagePayments),
       "Enregistrer une signature de la convention"},
      [&w](RouteCall& c) { return award_form(w, c, kSignatureForm, sign_agreement, "signature"); });
  router.add({"POST", "/dossiers/{number}/aide/versement", Access::needs(Action::ManagePayments),
              "Enregistrer un versement"},
             [&w](RouteCall& c) { return payment_form(w, c); });
  router.add(
      {"POST", "/dossiers/{number}/aide/demandes/{id}/paiement",
       Access::needs(Action::ManagePayments), "Mandater une demande de versement du portail"},
      [&w](RouteCall& c) { return claim_decision(w, c, true); });
  router.add({"POST", "/dossiers/{number}/aide/demandes/{id}/refus",
              Access::needs(Action::ManagePayments), "Refuser une demande de versement du portail"},
             [&w](RouteCall& c) { return claim_decision(w, c, false); });
  // Any other step of the award page: refused to a role that may not pay, else not found, as the
  // award forms always answered.
  router.add({"POST", "/dossiers/{number}/aide/{step}", Access::needs(Action::ManagePayments),
              "(aucun autre formulaire : introuvable)"},
             [&w](RouteCall& c) { return w.not_found(c.caller(), no_such_page()); });
}

}  // namespace octroi::http::pages
