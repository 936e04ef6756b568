// itk-info: print the geometry ITK derives from a NIfTI header as one JSON object.
//
//   itk-info <image.nii[.gz]>
//   {"dims":[nx,ny,nz],"spacing":[..],"origin":[..],"direction":[9 numbers],"componentType":"short"}
//
// The numbers are what itk::ImageFileReader hands to filters (LPS physical
// space), so a port of the NIfTI reader can be checked against them directly.
// direction is row-major: direction[r*3+c] == image->GetDirection()[r][c].
// componentType is the type the NIfTI ImageIO reports after reading the header;
// it already reflects ITK's own decisions (e.g. scl_slope/scl_inter rescaling
// turns integer data into float), so it is not always the on-disk datatype.
// Every double is printed with %.17g so the values round-trip exactly.

#include "itkImage.h"
#include "itkImageFileReader.h"
#include "itkImageIOFactory.h"

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

namespace
{
const char *
componentName(itk::IOComponentEnum c)
{
  using C = itk::IOComponentEnum;
  switch (c)
  {
    case C::UCHAR: return "uchar";
    case C::CHAR: return "char";
    case C::USHORT: return "ushort";
    case C::SHORT: return "short";
    case C::UINT: return "uint";
    case C::INT: return "int";
    case C::ULONG: return "ulong";
    case C::LONG: return "long";
    case C::ULONGLONG: return "ulonglong";
    case C::LONGLONG: return "longlong";
    case C::FLOAT: return "float";
    case C::DOUBLE: return "double";
    default: return "unknown";
  }
}

template <typename TArray>
void
printArray(const char * key, const TArray & a, unsigned int n)
{
  std::printf("\"%s\":[", key);
  for (unsigned int i = 0; i < n; ++i)
    std::printf(i ? ",%.17g" : "%.17g", static_cast<double>(a[i]));
  std::printf("]");
}
} // namespace

int
main(int argc, char * argv[])
{
  if (argc != 2)
  {
    std::cerr << "Usage: itk-info <image.nii[.gz]>\n";
    return 2;
  }
  try
  {
    constexpr unsigned int Dim = 3;
    using ImageType = itk::Image<double, Dim>;

    // The component type comes from the ImageIO, not from the image the
    // reader produces (that one is always double here).
    auto io = itk::ImageIOFactory::CreateImageIO(argv[1], itk::IOFileModeEnum::ReadMode);
    if (!io)
    {
      std::cerr << "ERROR: no ImageIO can read " << argv[1] << "\n";
      return 1;
    }
    io->SetFileName(argv[1]);
    io->ReadImageInformation();
    const std::string component = componentName(io->GetComponentType());

    auto reader = itk::ImageFileReader<ImageType>::New();
    reader->SetFileName(argv[1]);
    reader->UpdateOutputInformation(); // geometry only, voxels are not needed
    const ImageType * img = reader->GetOutput();

    const auto size = img->GetLargestPossibleRegion().GetSize();
    const auto & dir = img->GetDirection();
    double       d[9];
    for (unsigned int r = 0; r < Dim; ++r)
      for (unsigned int c = 0; c < Dim; ++c)
        d[r * Dim + c] = dir[r][c];

    std::printf("{");
    printArray("dims", size, Dim);
    std::printf(",");
    printArray("spacing", img->GetSpacing(), Dim);
    std::printf(",");
    printArray("origin", img->GetOrigin(), Dim);
    std::printf(",");
    printArray("direction", d, 9);
    std::printf(",\"componentType\":\"%s\"}\n", component.c_str());
    return 0;
  }
  catch (const std::exception & e)
  {
    std::cerr << "ERROR: " << e.what() << "\n";
    return 1;
  }
}
