#include "vision/capture/PixelScrub.h"

#include <cstring>
#include <string.h>

namespace signiq::vision {

void scrubBytes(void *data, std::size_t size)
{
    if (data && size > 0)
        explicit_bzero(data, size);
}

void scrubPixels(cv::Mat &image)
{
    if (image.u && image.u->data && image.u->size > 0)
        scrubBytes(image.u->data, image.u->size);
    else if (image.datastart && image.dataend > image.datastart)
        scrubBytes(const_cast<uchar *>(image.datastart), static_cast<std::size_t>(image.dataend - image.datastart));
}

} // namespace signiq::vision
