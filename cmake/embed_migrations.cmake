# Writes a C++ source holding every migrations/<dialect>/NNNN_name.sql file, in order, with the
# SHA-256 of its bytes (recorded when it is applied, checked at every opening).
# Each dialect's file defines <NAMESPACE>::embedded_migrations().
# Invoked at build time: cmake -DOUT=file.cc -DDIR=dir -DNAMESPACE=ns -P embed_migrations.cmake
file(GLOB files ${DIR}/*.sql)
list(SORT files)
set(body "// Generated from ${DIR} by cmake/embed_migrations.cmake. Do not edit.\n")
string(APPEND body "#include \"adapters/sql/connection.h\"\n\nnamespace ${NAMESPACE} {\n\n")
string(APPEND body "const std::vector<sql::Migration>& embedded_migrations();\n\n")
string(APPEND body "const std::vector<sql::Migration>& embedded_migrations() {\n")
string(APPEND body "  static const std::vector<sql::Migration> all = {\n")
foreach(f ${files})
  get_filename_component(name ${f} NAME_WE)
  string(REGEX MATCH "^[0-9]+" version ${name})
  math(EXPR version "${version}")
  file(READ ${f} sql)
  file(SHA256 ${f} sha256)
  string(APPEND body "    {${version}, \"${name}\", R\"octroi_sql(${sql})octroi_sql\", \"${sha256}\"},\n")
endforeach()
string(APPEND body "  };\n  return all;\n}\n\n}  // namespace ${NAMESPACE}\n")
file(WRITE ${OUT} "${body}")
