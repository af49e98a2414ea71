# Writes a C++ source holding every file of DIR matching GLOB, by name (without extension), for
# the programs that must not read their resources from disk (HTML templates).
# Invoked at build time: cmake -DOUT=file.cc -DDIR=dir -DGLOB=*.mustache -DNAMESPACE=ns
#   -DFUNCTION=name -P embed_files.cmake
file(GLOB files ${DIR}/${GLOB})
list(SORT files)
set(body "// Generated from ${DIR} by cmake/embed_files.cmake. Do not edit.\n")
string(APPEND body "#include <map>\n#include <string>\n\nnamespace ${NAMESPACE} {\n\n")
string(APPEND body "const std::map<std::string, std::string>& ${FUNCTION}();\n\n")
string(APPEND body "const std::map<std::string, std::string>& ${FUNCTION}() {\n")
string(APPEND body "  static const std::map<std::string, std::string> all = {\n")
foreach(f ${files})
  get_filename_component(name ${f} NAME_WE)
  file(READ ${f} content)
  string(APPEND body "    {\"${name}\", R\"octroi_file(${content})octroi_file\"},\n")
endforeach()
string(APPEND body "  };\n  return all;\n}\n\n}  // namespace ${NAMESPACE}\n")
file(WRITE ${OUT} "${body}")
