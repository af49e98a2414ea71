#include "adapters/documents/pdf_converter.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <semaphore>
#include <sstream>
#include <string_view>
#include <thread>

#include "adapters/documents/odt_package.h"

namespace octroi::documents {
namespace {

std::counting_semaphore<2> running(2);

struct Slot {
  Slot() { running.acquire(); }
  ~Slot() { running.release(); }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
};

std::string tail_of(const std::filesystem::path& log) {
  std::ifstream in(log);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  return s.size() > 400 ? s.substr(s.size() - 400) : s;
}

}  // namespace

Result<std::vector<std::string>> convert_to_pdf(const std::vector<std::string>& inputs,
                                                const std::string& out_dir,
                                                const ConversionOptions& options) {
  return convert_with_libreoffice(inputs, out_dir, "pdf:writer_pdf_Export", ".pdf", options);
}

Result<std::vector<std::string>> convert_with_libreoffice(const std::vector<std::string>& inputs,
                                                          const std::string& out_dir,
                                                          const std::string& filter,
                                                          const std::string& extension,
                                                          const ConversionOptions& options) {
  namespace fs = std::filesystem;
  if (inputs.empty()) return std::vector<std::string>{};
  if (access(options.soffice.c_str(), X_OK) != 0)
    return refuse("document.conversion", "soffice",
                  "LibreOffice est introuvable (" + options.soffice +
                      ") : installez libreoffice-writer-nogui (et libreoffice-calc-nogui pour les "
                      "tableurs).");
  Slot slot;
  std::string profile_template = (fs::temp_directory_path() / "octroi-lo-XXXXXX").string();
  if (!mkdtemp(profile_template.data()))
    return refuse("document.conversion", "profile",
                  "Impossible de créer le profil LibreOffice temporaire.");
  const fs::path profile(profile_template);
  const fs::path log = profile / "soffice.log";

  std::vector<std::string> args = {options.soffice,
                                   "--headless",
                                   "--invisible",
                                   "--norestore",
                                   "--nologo",
                                   "--nolockcheck",
                                   "-env:UserInstallation=file://" + (profile / "user").string(),
                                   "--convert-to",
                                   filter,
                                   "--outdir",
                                   out_dir};
  args.insert(args.end(), inputs.begin(), inputs.end());
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  // The environment, with HOME in the profile (LibreOffice writes there too); built before fork:
  // between fork and exec the child calls only async-signal-safe functions.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e)
    if (std::string_view(*e).rfind("HOME=", 0) != 0) env_strings.emplace_back(*e);
  env_strings.push_back("HOME=" + profile.string());
  std::vector<char*> envp;
  for (auto& e : env_strings)
    envp.push_back(e.data());
  envp.push_back(nullptr);
  const std::string log_path = log.string();

  const pid_t pid = fork();
  if (pid < 0) {
    fs::remove_all(profile);
    return refuse("document.conversion", "soffice", "Impossible de lancer LibreOffice (fork).");
  }
  if (pid == 0) {  // the child: its own process group, so that a timeout kills all of it
    setpgid(0, 0);
    const int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      close(fd);
    }
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  setpgid(pid, pid);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(options.timeout_seconds);
  int status = 0;
  bool timed_out = false;
  for (;;) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0) {
      status = -1;
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const std::string output = tail_of(log);
  fs::remove_all(profile);
  if (timed_out)
    return refuse("document.conversion", "soffice",
                  "LibreOffice n'a pas fini en " + std::to_string(options.timeout_seconds) +
                      " s : conversion abandonnée.");
  if (status != 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
    return refuse("document.conversion", "soffice",
                  "LibreOffice a échoué (état " + std::to_string(status) + ") : " + output);
  std::vector<std::string> out;
  for (const auto& in : inputs) {
    const fs::path pdf = fs::path(out_dir) / fs::path(in).filename().replace_extension(extension);
    if (!fs::exists(pdf) || fs::file_size(pdf) == 0)
      return refuse("document.conversion", "soffice",
                    "LibreOffice n'a pas écrit " + pdf.string() + " : " + output);
    out.push_back(pdf.string());
  }
  return out;
}

Result<std::vector<DocumentFile>> PdfConverter::to_pdf(const std::vector<DocumentFile>& odt) {
  namespace fs = std::filesystem;
  if (odt.empty()) return std::vector<DocumentFile>{};
  std::string dir_template = (fs::temp_directory_path() / "octroi-docs-XXXXXX").string();
  if (!mkdtemp(dir_template.data()))
    return refuse("document.conversion", "directory",
                  "Impossible de créer le dossier temporaire de la conversion.");
  const fs::path dir(dir_template);
  std::vector<std::string> paths;
  for (const auto& f : odt) {
    const fs::path path = dir / f.name;
    std::ofstream(path, std::ios::binary) << f.bytes;
    paths.push_back(path.string());
  }
  auto pdfs = convert_to_pdf(paths, dir.string(), options_);
  if (!pdfs.ok()) {
    fs::remove_all(dir);
    return pdfs.refusal();
  }
  std::vector<DocumentFile> out;
  for (const auto& path : pdfs.value()) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    out.push_back({fs::path(path).filename().string(), bytes.str()});
  }
  fs::remove_all(dir);
  return out;
}

std::string PdfConverter::zip(const std::vector<DocumentFile>& files) {
  std::vector<std::pair<std::string, std::string>> entries;
  entries.reserve(files.size());
  for (const auto& f : files)
    entries.emplace_back(f.name, f.bytes);
  return zip_archive(entries);
}

}  // namespace octroi::documents
